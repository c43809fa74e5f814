using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch.Benchmarks;

/// <summary>Random float operands for one <see cref="GemmShape"/>, and the check against the reference.</summary>
public sealed class GemmData
{
    public required GemmShape Shape { get; init; }
    public required float[] A { get; init; }
    public required float[] B { get; init; }
    public required float[] C { get; init; }

    // Stored shapes: A (m, k) or (k, m) when transposed; B (k, n) or (n, k); leading dim = columns.
    public int Lda => Shape.TransA ? Shape.M : Shape.K;
    public int Ldb => Shape.TransB ? Shape.K : Shape.N;

    public static GemmData Create(GemmShape s, int seed = 1)
    {
        var rng = new Random(seed);
        float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return new GemmData { Shape = s, A = Random(s.M * s.K), B = Random(s.K * s.N), C = new float[s.M * s.N] };
    }

    public void RunFast(int threads)
    {
        using (CpuThreads.Use(threads))
            CpuKernels.Gemm(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f, A, Lda, B, Ldb, 0f, C, Shape.N);
    }

    /// <summary>Throws unless the fast kernel matches Reference.Gemm: a benchmark of a wrong result is worthless.</summary>
    public void Validate(int threads)
    {
        RunFast(threads);
        var expected = new float[C.Length];
        Reference.Gemm(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f, A, Lda, B, Ldb, 0f, expected, Shape.N);
        // Values in [-1, 1): each output sums k products, error ~ eps·√k·k at worst.
        double tol = 1e-5 * Math.Sqrt(Shape.K) * Shape.K;
        for (int i = 0; i < C.Length; i++)
            if (!(Math.Abs(C[i] - expected[i]) <= tol))
                throw new InvalidOperationException(
                    $"gemm {Shape.Name} on {threads} thread(s): C[{i}] = {C[i]}, reference {expected[i]} (tolerance {tol}).");
    }
}
