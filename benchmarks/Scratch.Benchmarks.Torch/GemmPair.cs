using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// One GEMM computed by both engines on the same operands: Scratch's CpuKernels.Gemm writes into a
/// preallocated C; TorchSharp's mm gets the same stored A and B, transposed as views where the shape
/// says so (libtorch hands the transposition to its BLAS, no copy), and returns a new C.
/// </summary>
public sealed class GemmPair : IDisposable
{
    public GemmShape Shape { get; }
    private readonly float[] _a, _b, _c;
    private readonly torch.Tensor _ta, _tb;

    // Stored shapes: A (M, K), or (K, M) when read transposed; B (K, N), or (N, K).
    private int Lda => Shape.TransA ? Shape.M : Shape.K;
    private int Ldb => Shape.TransB ? Shape.K : Shape.N;

    public GemmPair(GemmShape shape, int seed = 1)
    {
        Shape = shape;
        var rng = new Random(seed);
        float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        _a = Random(shape.M * shape.K);
        _b = Random(shape.K * shape.N);
        _c = new float[shape.M * shape.N];
        var a = TorchRuntime.FromArray(_a, shape.TransA ? [shape.K, shape.M] : [shape.M, shape.K]);
        var b = TorchRuntime.FromArray(_b, shape.TransB ? [shape.N, shape.K] : [shape.K, shape.N]);
        _ta = shape.TransA ? a.t() : a;
        _tb = shape.TransB ? b.t() : b;
    }

    public void RunScratch() =>
        CpuKernels.Gemm(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f, _a, Lda, _b, Ldb, 0f, _c, Shape.N);

    public void RunTorch()
    {
        using var c = torch.mm(_ta, _tb);
    }

    /// <summary>Throws unless both engines give the same C (to float32 rounding) on this thread count.</summary>
    public void Validate(int threads)
    {
        using (CpuThreads.Use(threads)) RunScratch();
        TorchRuntime.UseThreads(threads);
        using var c = torch.mm(_ta, _tb);
        var expected = TorchRuntime.ToArray(c);
        // Values in [-1, 1): each output sums K products; the summation orders differ.
        double tol = 1e-5 * Math.Sqrt(Shape.K) * Shape.K;
        for (int i = 0; i < _c.Length; i++)
            if (!(Math.Abs(_c[i] - expected[i]) <= tol))
                throw new InvalidOperationException(
                    $"gemm {Shape.Name}, {threads} thread(s): Scratch C[{i}] = {_c[i]}, TorchSharp {expected[i]} (tolerance {tol}).");
    }

    public void Dispose()
    {
        _ta.Dispose();
        _tb.Dispose();
    }
}
