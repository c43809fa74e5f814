#!/usr/bin/env bash
# GPU check: run on a machine with an NVIDIA GPU, from a checkout whose Release build was made
# ELSEWHERE and carried along (this script builds nothing: the GPU machine may have no SDK cache,
# no network, and its time is scarce). It runs
#   1. the CUDA tests of the kernel, tensor and model test projects (the ones named Cuda*/Gpu*,
#      which run on `cuda` when a GPU is present and are skipped without one — here they must run),
#   2. `device-quick --device cuda`: GEMM 4096² GFLOP/s (validated against float64 on 64 entries),
#      one VAE training step (median and fastest of 50) and one VAE epoch on `cuda`,
# and prints the figures, with the GPU's name from nvidia-smi, for benchmarks/README.md.
#
# Prepare on the build machine:   dotnet build Scratch.sln -c Release
# then carry the bin/ folders (tests/*/bin, benchmarks/Scratch.Benchmarks/bin) and run:
#   benchmarks/gpu-check.sh [--size 4096] [--steps 50]
# Exit code: 0 when every step passed, 1 otherwise. Needs: the .NET 10 runtime, the NVIDIA driver.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
bench=benchmarks/Scratch.Benchmarks/bin/Release/net10.0/Scratch.Benchmarks.dll
for f in "$bench" tests/Scratch.Kernels.Tests/bin/Release/net10.0/Scratch.Kernels.Tests.dll; do
  if [ ! -f "$f" ]; then
    echo "gpu-check: $f is missing: build with 'dotnet build Scratch.sln -c Release' before carrying the checkout here" >&2
    exit 1
  fi
done
echo "== machine"
date -u '+%Y-%m-%d %H:%M UTC'
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi not found"
lscpu 2>/dev/null | grep -m1 'Model name' || true

echo "== CUDA tests (no build)"
for project in Kernels Tensor Models; do
  dll=tests/Scratch.$project.Tests/bin/Release/net10.0/Scratch.$project.Tests.dll
  [ -f "$dll" ] || { echo "gpu-check: $dll missing" >&2; rc=1; continue; }
  # Run the test assembly directly (vstest), so nothing is restored or built.
  log=$(mktemp)
  dotnet test "$dll" --filter "FullyQualifiedName~Cuda|FullyQualifiedName~Gpu" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  # A CUDA test that skipped means no GPU was found: that is a failure here.
  if grep -qE 'Skipped[^0-9]+[1-9]' "$log" && grep -qi 'cuda' "$log"; then
    echo "gpu-check: some CUDA tests were skipped in $project: is the GPU visible (nvidia-smi)?" >&2
    rc=1
  fi
  rm -f "$log"
done

echo "== GEMM, VAE step and epoch on cuda"
dotnet "$bench" device-quick --device cuda "$@" || rc=1
echo "gpu-check: $([ $rc -eq 0 ] && echo passed || echo FAILED)"
exit $rc
