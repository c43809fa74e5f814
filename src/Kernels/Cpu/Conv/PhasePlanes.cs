using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The images of a convolution rearranged so that every row of the patch matrix is made of
/// contiguous runs: each (n, c) plane is zero-padded and its columns are split by phase modulo the
/// horizontal stride. Without this, one im2col row reads x[…, i·s − pad + p·d, j·s − pad + q·d]
/// for j = 0 … OW−1: a strided read with a padding test per element (7 elements per run at the conv
/// VAE's 32→64 layer, stride 2). In the phase planes the same run is OW consecutive elements.
/// </summary>
/// <remarks>
/// Layout of one plane, for a padded image of Hp = H + 2·padH rows and Wp = W + 2·padW columns and a
/// horizontal stride s: (Hp, s, Wq) with Wq = ⌈Wp / s⌉, and
///   planes[R, φ, k] = padded x[R, k·s + φ]      (0 where that is padding or past Wp).
/// Output (i, j) of tap (p, q) reads padded x[i·sh + p·dh, j·s + q·dw], which is
///   planes[i·sh + p·dh, (q·dw) mod s, j + ⌊q·dw / s⌋] — contiguous in j.
/// The planes are the size of the padded input, about 1/(KH·KW/(sh·sw)) of the patch matrix (a
/// quarter at 4×4 kernels with stride 2), so making them costs little next to the runs they enable.
/// </remarks>
internal readonly struct PhasePlanes
{
    public readonly int Stride, PaddedHeight, PhaseWidth;

    public PhasePlanes(Conv2dShape s)
    {
        Stride = s.StrideW;
        PaddedHeight = s.Height + 2 * s.PadH;
        PhaseWidth = (s.Width + 2 * s.PadW + Stride - 1) / Stride;
    }

    /// <summary>Elements of one (n, c) plane.</summary>
    public int PlaneLength => PaddedHeight * Stride * PhaseWidth;

    /// <summary>Where the run of tap (p, q) for output row 0 starts inside a plane.</summary>
    public int RunStart(Conv2dShape s, int p, int q)
    {
        int row = p * s.DilationH, column = q * s.DilationW;
        return (row * Stride + column % Stride) * PhaseWidth + column / Stride;
    }

    /// <summary>How far apart the runs of consecutive output rows start: StrideH padded rows.</summary>
    public int RunStep(Conv2dShape s) => s.StrideH * Stride * PhaseWidth;

    // Image column x lands at plane column (x + padW) = k·s + φ, i.e. at φ·Wq + k of its plane row.
    // Phase by phase, k runs over the image columns x = k·s + φ − padW that exist: no division per
    // element (an integer division costs as much as a dozen copies).
    private static void SplitRow<T>(ref T source, int width, int pad, int stride, int phaseWidth, ref T row)
    {
        for (int phase = 0; phase < stride; phase++)
        {
            var (first, k) = FirstOfPhase(phase, pad, stride);
            ref T target = ref Unsafe.Add(ref row, phase * phaseWidth);
            for (int x = first; x < width; x += stride, k++) Unsafe.Add(ref target, k) = Unsafe.Add(ref source, x);
        }
    }

    // The first image column x ≥ 0 of phase φ, x = k·s + φ − pad, and its k.
    private static (int X, int K) FirstOfPhase(int phase, int pad, int stride)
    {
        int first = phase - pad;
        int k = first < 0 ? (-first + stride - 1) / stride : 0;
        return (first + k * stride, k);
    }

    private static void MergeRow<T>(ref T row, int width, int pad, int stride, int phaseWidth, ref T target)
    {
        for (int phase = 0; phase < stride; phase++)
        {
            var (first, k) = FirstOfPhase(phase, pad, stride);
            ref T source = ref Unsafe.Add(ref row, phase * phaseWidth);
            for (int x = first; x < width; x += stride, k++) Unsafe.Add(ref target, x) = Unsafe.Add(ref source, k);
        }
    }

    // x: (N, C, H, W) → planes: (N·C) planes, every element written (padding as 0).
    public void Split<T>(Conv2dShape s, ReadOnlySpan<T> x, Span<T> planes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = s.Batch * s.InChannels, plane = s.Height * s.Width, rowLength = Stride * PhaseWidth;
        planes[..(count * PlaneLength)].Clear();
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T q0 = ref MemoryMarshal.GetReference(planes);
        for (int image = 0; image < count; image++)
        for (int r = 0; r < s.Height; r++)
        {
            ref T source = ref Unsafe.Add(ref x0, (nint)image * plane + r * s.Width);
            ref T row = ref Unsafe.Add(ref q0, (nint)image * PlaneLength + (r + s.PadH) * rowLength);
            if (Stride == 1)
            {
                // One phase: the row is the image row shifted by the padding, a plain copy.
                MemoryMarshal.CreateReadOnlySpan(ref source, s.Width).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref row, s.PadW), s.Width));
                continue;
            }
            if (typeof(T) == typeof(float) && Stride == 2 && StrideTwoRows.Applies(s.Width))
                StrideTwoRows.Split(ref Unsafe.As<T, float>(ref source), s.Width, s.PadW, PhaseWidth, ref Unsafe.As<T, float>(ref row));
            else
                SplitRow(ref source, s.Width, s.PadW, Stride, PhaseWidth, ref row);
        }
    }

    // planes → dx: (N, C, H, W), overwritten with each real pixel's plane element (the padding's
    // elements, which belong to no pixel, are dropped).
    public void Merge<T>(Conv2dShape s, ReadOnlySpan<T> planes, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = s.Batch * s.InChannels, plane = s.Height * s.Width, rowLength = Stride * PhaseWidth;
        ref T dx0 = ref MemoryMarshal.GetReference(dx);
        ref T q0 = ref MemoryMarshal.GetReference(planes);
        for (int image = 0; image < count; image++)
        for (int r = 0; r < s.Height; r++)
        {
            ref T target = ref Unsafe.Add(ref dx0, (nint)image * plane + r * s.Width);
            ref T row = ref Unsafe.Add(ref q0, (nint)image * PlaneLength + (r + s.PadH) * rowLength);
            if (Stride == 1)
            {
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref row, s.PadW), s.Width).CopyTo(MemoryMarshal.CreateSpan(ref target, s.Width));
                continue;
            }
            if (typeof(T) == typeof(float) && Stride == 2 && StrideTwoRows.Applies(s.Width))
                StrideTwoRows.Merge(ref Unsafe.As<T, float>(ref row), s.Width, s.PadW, PhaseWidth, ref Unsafe.As<T, float>(ref target));
            else
                MergeRow(ref row, s.Width, s.PadW, Stride, PhaseWidth, ref target);
        }
    }
}
