using static Scratch.TensorTests.GpuCheck;

namespace Scratch.TensorTests;

// Reductions and matrix products on ilgpu-cpu against the CPU backend, on shapes that straddle the
// simulator's reduction groups (32 threads, 8 elements each) and the GEMM's 64×64 tiles.
public class GpuReductionAndMatMulTests
{
    private const double Rel = 1e-4;

    [TestCase(new[] { 1 })]
    [TestCase(new[] { 7 })]
    [TestCase(new[] { 33 })]
    [TestCase(new[] { 45, 33, 40 })]
    public void SumMeanMax_All_MatchCpu(int[] shape)
    {
        var x = Random(shape, 51);
        var g = x.To(Sim);
        // A sum's error scales with Σ|x|, not with the (possibly cancelling) result.
        double scale = Math.Max(x.Abs().Sum().Item(), 1);
        Matches(x.Sum(), g.Sum(), Rel, scale, "sum");
        Matches(x.Mean(), g.Mean(), Rel, scale / x.Numel, "mean");
        Matches(x.Max(), g.Max(), Rel, what: "max");
    }

    [Test]
    public void SumMaxMean_AlongEveryAxis_MatchCpu([Values(0, 1, 2)] int axis, [Values] bool keepDim)
    {
        // Small outer sizes: the simulator runs one group per output row, each costing milliseconds.
        var x = Random([5, 7, 33], 52);
        var g = x.To(Sim);
        Matches(x.Sum(axis, keepDim), g.Sum(axis, keepDim), Rel, 33, $"sum axis {axis}");
        Matches(x.Mean(axis, keepDim), g.Mean(axis, keepDim), Rel, 1, $"mean axis {axis}");
        Matches(x.Max(axis, keepDim), g.Max(axis, keepDim), Rel, what: $"max axis {axis}");
    }

    [Test]
    public void SumTo_TheGradientOfBroadcasting_MatchesCpu()
    {
        var x = Random([7, 33, 5], 53);
        var g = x.To(Sim);
        Matches(x.SumTo([33, 5]), g.SumTo([33, 5]), Rel, 7, "(7,33,5) → (33,5)");
        Matches(x.SumTo([7, 1, 5]), g.SumTo([7, 1, 5]), Rel, 33, "(7,33,5) → (7,1,5)");
    }

    // (m, k, n): a vector, odd sizes, the 45×33×40, M < K and M > K, and more than one tile.
    [TestCase(1, 1, 1)]
    [TestCase(7, 33, 1)]
    [TestCase(45, 33, 40)]
    [TestCase(5, 70, 9)]
    [TestCase(70, 5, 9)]
    [TestCase(130, 67, 65)]
    public void MatMul_EveryTransposeFlag_MatchesCpu(int m, int k, int n)
    {
        foreach (bool transA in new[] { false, true })
        foreach (bool transB in new[] { false, true })
        {
            var a = Random(transA ? [k, m] : [m, k], 61);
            var b = Random(transB ? [n, k] : [k, n], 62);
            Matches(Tensor.MatMul(a, b, transA, transB), Tensor.MatMul(a.To(Sim), b.To(Sim), transA, transB), Rel, k,
                $"matmul {m}×{k}×{n} transA={transA} transB={transB}");
        }
    }

    [Test]
    public void MatMul_OfTransposedAndSlicedViews_MatchesCpu()
    {
        var a = Random([33, 45], 63);
        var b = Random([40, 33], 64);
        var (ga, gb) = (a.To(Sim), b.To(Sim));
        // Aᵀ·Bᵀ through views: the flags flip, nothing is copied.
        Matches(a.T.MatMul(b.T), ga.T.MatMul(gb.T), Rel, 33, "Aᵀ·Bᵀ");
        // A column slice is neither contiguous nor a transposed contiguous matrix: a gathered copy.
        var columns = a.Slice(1, 3, 20);
        Matches(columns.T.MatMul(a.Slice(1, 5, 7)), ga.Slice(1, 3, 20).T.MatMul(ga.Slice(1, 5, 7)), Rel, 33, "sliced columns");
        // Row slices of a contiguous matrix: an offset into the storage.
        Matches(b.Slice(0, 8, 10).MatMul(a), gb.Slice(0, 8, 10).MatMul(ga), Rel, 33, "row slice");
    }

    [TestCase(7)]
    [TestCase(45 * 33)]
    public void BceWithLogits_SumAndGradient_MatchCpu(int n)
    {
        var logits = Random([n], 67, -20, 20);
        var target = Random([n], 68, 0, 1);
        var (gl, gt) = (logits.To(Sim), target.To(Sim));
        Matches(Tensor.BceWithLogitsSum(logits, target), Tensor.BceWithLogitsSum(gl, gt), Rel, n, "bce sum");
        Matches(Tensor.BceWithLogitsBackward(logits, target, 0.25), Tensor.BceWithLogitsBackward(gl, gt, 0.25), 1e-5, 0.01, "bce gradient");
    }

    [Test]
    public void AddRowVectorInPlace_MatchesCpu()
    {
        var y = Random([45, 33], 65);
        var bias = Random([33], 66);
        var gy = y.To(Sim);
        y.AddRowVectorInPlace(bias);
        gy.AddRowVectorInPlace(bias.To(Sim));
        Matches(y, gy, 1e-5, what: "y + bias");
    }
}
