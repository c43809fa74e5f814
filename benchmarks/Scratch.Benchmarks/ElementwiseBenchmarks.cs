using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>
/// The CPU elementwise and reduction kernels on one activation-sized buffer: 128 × 400 floats (a
/// batch of 128 through the 400-unit hidden layer of the MNIST VAE). Three columns per op: Scratch's
/// SIMD kernel, the plain Reference loop, and TensorPrimitives (the .NET library version of the same
/// idea). GlobalSetup checks Scratch against Reference before anything is timed (STYLE.md §9).
/// Rate: elements per second = Length / mean time (51,200 elements per call).
/// Run: dotnet run -c Release --project benchmarks/Scratch.Benchmarks -- --filter '*Elementwise*'
/// </summary>
[MemoryDiagnoser]
public class ElementwiseBenchmarks
{
    public const int Length = 128 * 400;

    private readonly float[] _x = new float[Length];
    private readonly float[] _b = new float[Length];
    private readonly float[] _y = new float[Length];
    private readonly float[] _m = new float[Length];
    private readonly float[] _v = new float[Length];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        for (int i = 0; i < Length; i++)
        {
            _x[i] = (float)(rng.NextDouble() * 8 - 4);
            _b[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        Validate();
    }

    private void Validate()
    {
        var expected = new float[Length];
        foreach (var op in new[] { UnaryOp.Exp, UnaryOp.Sigmoid, UnaryOp.Tanh, UnaryOp.Relu })
        {
            Reference.Unary<float>(op, _x, expected);
            CpuKernels.Unary<float>(op, _x, _y);
            for (int i = 0; i < Length; i++)
                if (Math.Abs(expected[i] - _y[i]) > 1e-6f * Math.Max(1f, Math.Abs(expected[i])))
                    throw new InvalidOperationException($"ElementwiseBenchmarks: {op} differs from Reference at {i}: {_y[i]} vs {expected[i]}");
        }
        Reference.Binary<float>(BinaryOp.Add, _x, _b, expected);
        CpuKernels.Binary<float>(BinaryOp.Add, _x, _b, _y);
        if (!expected.AsSpan().SequenceEqual(_y))
            throw new InvalidOperationException("ElementwiseBenchmarks: Add differs from Reference.");
        double absSum = 0;
        foreach (var v in _x) absSum += Math.Abs(v);
        if (Math.Abs(CpuKernels.Sum<float>(_x) - Reference.Sum<float>(_x)) > Length * 1.2e-7 * absSum)
            throw new InvalidOperationException("ElementwiseBenchmarks: Sum differs from Reference beyond rounding.");
    }

    [Benchmark(Baseline = true)] public void Exp_Reference() => Reference.Unary<float>(UnaryOp.Exp, _x, _y);
    [Benchmark] public void Exp_Scratch() => CpuKernels.Unary<float>(UnaryOp.Exp, _x, _y);
    [Benchmark] public void Exp_TensorPrimitives() => TensorPrimitives.Exp<float>(_x, _y);

    [Benchmark] public void Sigmoid_Reference() => Reference.Unary<float>(UnaryOp.Sigmoid, _x, _y);
    [Benchmark] public void Sigmoid_Scratch() => CpuKernels.Unary<float>(UnaryOp.Sigmoid, _x, _y);
    [Benchmark] public void Sigmoid_TensorPrimitives() => TensorPrimitives.Sigmoid<float>(_x, _y);

    [Benchmark] public void Tanh_Reference() => Reference.Unary<float>(UnaryOp.Tanh, _x, _y);
    [Benchmark] public void Tanh_Scratch() => CpuKernels.Unary<float>(UnaryOp.Tanh, _x, _y);
    [Benchmark] public void Tanh_TensorPrimitives() => TensorPrimitives.Tanh<float>(_x, _y);

    [Benchmark] public void Relu_Reference() => Reference.Unary<float>(UnaryOp.Relu, _x, _y);
    [Benchmark] public void Relu_Scratch() => CpuKernels.Unary<float>(UnaryOp.Relu, _x, _y);
    [Benchmark] public void Relu_TensorPrimitives() => TensorPrimitives.Max<float>(_x, 0f, _y);

    [Benchmark] public void Add_Reference() => Reference.Binary<float>(BinaryOp.Add, _x, _b, _y);
    [Benchmark] public void Add_Scratch() => CpuKernels.Binary<float>(BinaryOp.Add, _x, _b, _y);
    [Benchmark] public void Add_TensorPrimitives() => TensorPrimitives.Add<float>(_x, _b, _y);

    [Benchmark] public float Sum_Reference() => Reference.Sum<float>(_x);
    [Benchmark] public float Sum_Scratch() => CpuKernels.Sum<float>(_x);
    [Benchmark] public float Sum_TensorPrimitives() => TensorPrimitives.Sum<float>(_x);

    [Benchmark] public void ColumnSums_Reference() => Reference.ColumnSums<float>(_x, 128, 400, _y.AsSpan(0, 400));
    [Benchmark] public void ColumnSums_Scratch() => CpuKernels.ColumnSums<float>(_x, 128, 400, _y.AsSpan(0, 400));

    // Adam over a 51,200-weight parameter (≈ the 400×128 slice of a layer); state evolves, values stay finite.
    [Benchmark] public void Adam_Reference() => FusedReference.AdamStep<float>(_y, _b, _m, _v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 10);
    [Benchmark] public void Adam_Scratch() => CpuKernels.AdamStep<float>(_y, _b, _m, _v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 10);
}
