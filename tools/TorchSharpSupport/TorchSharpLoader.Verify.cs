using static TorchSharp.torch;

namespace Scratch.TorchSharpSupport;

public static partial class TorchSharpLoader
{
    /// <summary>
    /// Proves TorchSharp works end to end in this process: a matrix product and its backward pass,
    /// with results known exactly, so a mis-loaded or mis-linked native library cannot pass silently.
    /// Calls <see cref="EnsureLoadable()"/> first.
    /// </summary>
    public static void Verify()
    {
        EnsureLoadable();
        using var scope = NewDisposeScope();
        // a: (2, 2), b: (2, 2); loss = sum(a·b) = 134; d loss / d a = 1·bᵀ → every row is b's row sums (11, 15).
        var a = tensor(new double[] { 1, 2, 3, 4 }, [2, 2], ScalarType.Float64).requires_grad_();
        var b = tensor(new double[] { 5, 6, 7, 8 }, [2, 2], ScalarType.Float64);
        var loss = a.matmul(b).sum();
        loss.backward();
        double value = loss.item<double>();
        double[] grad = a.grad!.data<double>().ToArray();
        double[] expectedGrad = [11, 15, 11, 15];
        if (value != 134 || !grad.SequenceEqual(expectedGrad))
            throw new InvalidOperationException(
                $"TorchSharpLoader.Verify: sum(a·b) = {value} (expected 134), d/da = [{string.Join(", ", grad)}] " +
                $"(expected [{string.Join(", ", expectedGrad)}]). The native library loaded but computes wrong results.");
    }
}
