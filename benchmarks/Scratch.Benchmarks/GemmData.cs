using System.Numerics;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>Random operands for one <see cref="GemmShape"/>, and the check against the reference.</summary>
public sealed class GemmData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public required GemmShape Shape { get; init; }
    public required T[] A { get; init; }
    public required T[] B { get; init; }
    public required T[] C { get; init; }

    // Stored shapes: A (m, k) or (k, m) when transposed; B (k, n) or (n, k); leading dim = columns.
    public int Lda => Shape.TransA ? Shape.M : Shape.K;
    public int Ldb => Shape.TransB ? Shape.K : Shape.N;

    public static GemmData<T> Create(GemmShape s, int seed = 1)
    {
        var rng = new Random(seed);
        T[] Random(int count) => Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.NextDouble() * 2 - 1)).ToArray();
        return new GemmData<T> { Shape = s, A = Random(s.M * s.K), B = Random(s.K * s.N), C = new T[s.M * s.N] };
    }

    public void RunFast(int threads)
    {
        using (CpuThreads.Use(threads))
            CpuKernels.Gemm(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, T.One, A, Lda, B, Ldb, T.Zero, C, Shape.N);
    }

    /// <summary>Throws unless the fast kernel matches Reference.Gemm: a benchmark of a wrong result is worthless.</summary>
    public void Validate(int threads)
    {
        RunFast(threads);
        var expected = new T[C.Length];
        Reference.Gemm(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, T.One, A, Lda, B, Ldb, T.Zero, expected, Shape.N);
        // Values in [-1, 1): each output sums k products, error ~ eps·√k·k at worst.
        double eps = typeof(T) == typeof(float) ? 1e-5 : 1e-12;
        double tol = eps * Math.Sqrt(Shape.K) * Shape.K;
        for (int i = 0; i < C.Length; i++)
            if (!(double.Abs(double.CreateChecked(C[i] - expected[i])) <= tol))
                throw new InvalidOperationException(
                    $"gemm {Shape.Name} ({typeof(T).Name}) on {threads} thread(s): C[{i}] = {C[i]}, reference {expected[i]} (tolerance {tol}).");
    }
}
