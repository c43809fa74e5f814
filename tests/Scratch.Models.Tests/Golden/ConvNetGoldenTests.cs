using Scratch.Autograd;
using Scratch.Models.Nn;
using Scratch.Testing;

namespace Scratch.Models.Tests.GoldenFiles;

// The convolution family's modules against torch.nn (TorchSharp, float64): tests/golden/conv_net.json.
// One network uses every module; forward values, every gradient, BatchNorm's running statistics
// after three train-mode passes and the eval-mode output must agree to 1e-6 relative.
public class ConvNetGoldenTests
{
    private static readonly Golden G = Golden.Load("conv_net.json");

    /// <summary>The largest relative error seen over every compared tensor (printed for the report).</summary>
    private static double _worst;

    private sealed class Net
    {
        public readonly Conv2d Conv1 = new(1, 3, 3, new Rng(1), stride: 1, padding: 1, dtype: DType.Float64);
        public readonly BatchNorm2d Bn1 = new(3, dtype: DType.Float64);
        public readonly LeakyReLU Leaky = new(0.2);
        public readonly MaxPool2d Max = new(2);
        public readonly Conv2d Conv2 = new(3, 4, 2, new Rng(2), stride: 1, padding: 1, dilation: 2, dtype: DType.Float64);
        public readonly AvgPool2d Avg = new(2, stride: 1, padding: 1);
        public readonly ConvTranspose2d Deconv = new(4, 2, 3, new Rng(3), stride: 2, padding: 1, outputPadding: 1, dtype: DType.Float64);
        public readonly Flatten Flat = new();
        public readonly Linear Fc = new(128, 6, new Rng(4), dtype: DType.Float64);
        public readonly BatchNorm1d Bn2 = new(6, dtype: DType.Float64);
        public readonly Unflatten Unflat = new(1, 2, 3);
        public readonly Sequential All;

        public Net()
        {
            All = new Sequential(Conv1, Bn1, Leaky, Max, Conv2, Avg, Deconv, Flat, Fc, Bn2, Unflat);
            foreach (var (name, p) in Named()) p.Data = G.Tensor(name);   // the formula weights of the golden file
        }

        public IEnumerable<(string, Variable)> Named() =>
        [
            ("conv1.weight", Conv1.Weight), ("conv1.bias", Conv1.Bias!), ("bn1.weight", Bn1.Weight!), ("bn1.bias", Bn1.Bias!),
            ("conv2.weight", Conv2.Weight), ("conv2.bias", Conv2.Bias!), ("deconv.weight", Deconv.Weight), ("deconv.bias", Deconv.Bias!),
            ("fc.weight", Fc.Weight), ("fc.bias", Fc.Bias!), ("bn2.weight", Bn2.Weight!), ("bn2.bias", Bn2.Bias!),
        ];
    }

    // x_s[k] = sin(0.3·k + 0.1 + 0.5·s): rebuilt from the formula, not read from the file.
    private static Tensor Input(int s) =>
        Tensor.FromArray(Enumerable.Range(0, 72).Select(k => Math.Sin(0.3 * k + 0.1 + 0.5 * s)).ToArray(), 2, 1, 6, 6);

    [Test]
    public void ForwardGradientsRunningStatisticsAndEval_MatchTorch()
    {
        var net = new Net();
        var x0 = Input(0);
        AssertClose("x", x0);
        var x = new Variable(x0, requiresGrad: true);
        var values = new List<Variable>();
        var h = x;
        foreach (var layer in net.All.Layers)
        {
            h = layer.Forward(h);
            values.Add(h);
        }
        // h1 conv1, h2 bn1, h3 leaky, h4 max, h5 conv2, h6 avg, h7 deconv, (flatten), h8 fc, h9 bn2, out
        string[] names = ["h1", "h2", "h3", "h4", "h5", "h6", "h7", "", "h8", "h9", "out"];
        for (int i = 0; i < names.Length; i++)
            if (names[i] != "") AssertClose(names[i], values[i].Data);
        var loss = (h * G.Tensor("r")).Sum() + values[8].Square().Sum() * 0.1;   // + 0.1·Σ h8²
        Assert.That(loss.Item(), Is.EqualTo(G.Scalar("loss")).Within(1e-6).Percent);
        loss.Backward();
        foreach (var (name, p) in net.Named()) AssertClose(name + ".grad", p.Grad!);
        AssertClose("x.grad", x.Grad!);

        using (NoGrad.Scope())
        {
            net.All.Forward(Input(1));
            net.All.Forward(Input(2));
        }
        foreach (var (name, bn) in new (string, BatchNorm)[] { ("bn1", net.Bn1), ("bn2", net.Bn2) })
        {
            AssertClose(name + ".running_mean", bn.RunningMean!);
            AssertClose(name + ".running_var", bn.RunningVar!);
            Assert.That(bn.NumBatchesTracked!.Item(), Is.EqualTo(G.Scalar(name + ".num_batches_tracked")));
        }
        net.All.Eval();
        AssertClose("eval.out", net.All.Forward(Input(0)).Data);
        TestContext.Out.WriteLine($"conv_net.json: largest relative error {_worst:G3}");
    }

    // Relative error of each element against the largest magnitude in the tensor (as the MLP golden test),
    // with a floor of 1e-9: conv1.bias.grad is exactly zero in exact arithmetic (the BatchNorm after
    // conv1 subtracts any per-channel constant), so both engines return rounding noise around 0 (1e-18).
    private static void AssertClose(string name, Tensor actual)
    {
        var expected = G.Tensor(name);
        Assert.That(actual.ShapeArray, Is.EqualTo(expected.ShapeArray), name + " shape");
        var e = expected.ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        double scale = Math.Max(e.Max(Math.Abs), 1e-9);
        for (int i = 0; i < e.Length; i++)
        {
            double relative = Math.Abs(a[i] - e[i]) / scale;
            _worst = Math.Max(_worst, relative);
            Assert.That(relative, Is.LessThanOrEqualTo(1e-6), $"{name}[{i}]: {a[i]:R} vs TorchSharp {e[i]:R}");
        }
    }
}
