using Scratch.Autograd;
using Scratch.Models.Nn;
using Scratch.Testing;

namespace Scratch.Models.Tests.GoldenFiles;

// The layers of the image-shaped architectures against torch.nn (TorchSharp, float64):
// tests/golden/conv_rgb_net.json (tools/TorchReference/ConvRgbGolden.cs). An RGB 32×32 encoder
// (4×4 stride-2 Conv2d, one without bias; BatchNorm2d; LeakyReLU(0.2); Flatten; Linear to a code of 5),
// a decoder from the code (Linear; Unflatten to a non-square (8,3,2) map; BatchNorm2d; ReLU;
// ConvTranspose2d with output_padding (1,0), then (0,1), to a non-square (3,14,9) image; Sigmoid) and a
// generator-style branch (the code as a (5,1,1) map; ConvTranspose2d with a (3,2) kernel, no bias;
// BatchNorm2d; ReLU), built from Scratch's own modules with the file's formula weights loaded by
// Scratch's state_dict names. Checked, each to 1e-6 relative to the tensor's largest magnitude (as
// ConvNetGoldenTests): every parameterised layer's output, the loss (Σ out·r + Σ gen·r_gen + BCE with
// logits + 0.01·Σ of three pre-BatchNorm outputs squared), the gradient of every parameter and of the
// input, every BatchNorm's running statistics after three train-mode passes, and the eval-mode code,
// image and generator output (the test prints the worst error of each). Largest seen (Release, x64):
// 4.7e-14 relative (decoder.4.bias.grad, whose values ≤ 0.17 are a small difference of larger terms),
// 2.6e-12 absolute (encoder.8.weight.grad, values up to 252); the loss 1.1e-13 of 594. A weight of
// decoder.4 moved by 1e-4 fails at decoder.4.out with 1.2e-4.
public class ConvRgbGoldenTests
{
    private static readonly Golden G = Golden.Load("conv_rgb_net.json");

    private const double Limit = 1e-6;

    /// <summary>Per compared quantity: the largest absolute and relative error (printed for the report).</summary>
    private static readonly SortedDictionary<string, (double Absolute, double Relative)> Seen = new(StringComparer.Ordinal);

    private sealed class Net : Module
    {
        public readonly Sequential Encoder, Decoder, Generator;

        public Net()
        {
            var rng = new Rng(1);   // the initial weights are replaced by the file's
            const DType F64 = DType.Float64;
            Encoder = RegisterModule("encoder", new Sequential(
                new Conv2d(3, 4, 4, rng, stride: 2, padding: 1, dtype: F64),                  // 0: (2,3,32,32) → (2,4,16,16)
                new BatchNorm2d(4, dtype: F64), new LeakyReLU(0.2),
                new Conv2d(4, 6, 4, rng, stride: 2, padding: 1, bias: false, dtype: F64),     // 3: → (2,6,8,8)
                new BatchNorm2d(6, dtype: F64), new LeakyReLU(0.2),
                new Conv2d(6, 8, 4, rng, stride: 2, padding: 1, dtype: F64),                  // 6: → (2,8,4,4)
                new Flatten(),                                                              // 7: → (2,128)
                new Linear(128, 5, rng, dtype: F64)));                                      // 8: → code (2,5)
            Decoder = RegisterModule("decoder", new Sequential(
                new Linear(5, 8 * 3 * 2, rng, dtype: F64),                                  // 0: → (2,48)
                new Unflatten(1, 8, 3, 2),                                                  // 1: → (2,8,3,2)
                new BatchNorm2d(8, dtype: F64), new ReLU(),
                new ConvTranspose2d(8, 6, 4, rng, stride: 2, padding: 1, outputPadding: new Size2(1, 0), dtype: F64),  // 4: → (2,6,7,4)
                new BatchNorm2d(6, dtype: F64), new LeakyReLU(0.2),
                new ConvTranspose2d(6, 3, 4, rng, stride: 2, padding: 1, outputPadding: new Size2(0, 1), dtype: F64),  // 7: → logits (2,3,14,9)
                new Sigmoid()));                                                            // 8: → out
            Generator = RegisterModule("generator", new Sequential(
                new Unflatten(1, 5, 1, 1),                                                  // 0: code → (2,5,1,1)
                new ConvTranspose2d(5, 4, new Size2(3, 2), rng, bias: false, dtype: F64),   // 1: → (2,4,3,2)
                new BatchNorm2d(4, dtype: F64), new ReLU()));
        }

        public (Variable Code, Variable Out, Variable Gen) Forward(Variable x)
        {
            var code = Encoder.Forward(x);
            return (code, Decoder.Forward(code), Generator.Forward(code));
        }
    }

    // x_s[k] = sin(0.3·k + 0.1 + 0.5·s): rebuilt from the formula, not read from the file.
    private static Tensor Input(int s) =>
        Tensor.FromArray(Enumerable.Range(0, 2 * 3 * 32 * 32).Select(k => Math.Sin(0.3 * k + 0.1 + 0.5 * s)).ToArray(), 2, 3, 32, 32);

    [Test]
    public void ForwardGradientsRunningStatisticsAndEval_MatchTorch()
    {
        var net = new Net();
        // The formula weights by Scratch's own names: torch's state_dict names must be the same ones.
        var names = net.NamedParameters().Select(p => p.Name).ToList();
        var (missing, unexpected) = net.LoadStateDict(names.ToDictionary(n => n, G.Tensor), strict: false);
        Assert.That(missing.All(n => n.Contains(".running_") || n.EndsWith(".num_batches_tracked", StringComparison.Ordinal)), Is.True, string.Join(", ", missing));
        Assert.That(unexpected, Is.Empty);
        Assert.That(names, Has.Count.EqualTo(24));   // the 24 tensors of the description;

        var x0 = Input(0);
        AssertClose("x", x0);
        var x = new Variable(x0, requiresGrad: true);
        // Layer by layer, to compare every parameterised layer's output and keep the decoder's logits.
        var h = new Dictionary<string, Variable>();
        Variable Run(string name, Sequential seq, Variable input)
        {
            for (int i = 0; i < seq.Layers.Count; i++) h[$"{name}.{i}"] = input = seq.Layers[i].Forward(input);
            return input;
        }
        var code = Run("encoder", net.Encoder, x);
        var output = Run("decoder", net.Decoder, code);
        var gen = Run("generator", net.Generator, code);
        foreach (var layer in names.Select(n => n[..n.LastIndexOf('.')]).Distinct())
            AssertClose(layer + ".out", h[layer].Data);
        AssertClose("out", output.Data);
        AssertClose("gen", gen.Data);

        var bce = Losses.BceWithLogits(h["decoder.7"], G.Tensor("target"), Reduction.Sum);
        var squares = h["encoder.0"].Square().Sum() + h["decoder.0"].Square().Sum() + h["decoder.4"].Square().Sum();
        var loss = (output * G.Tensor("r")).Sum() + (gen * G.Tensor("r_gen")).Sum() + bce + squares * 0.01;
        AssertScalar("bce", bce.Item());
        AssertScalar("loss", loss.Item());
        loss.Backward();
        foreach (var (name, p) in net.NamedParameters()) AssertClose(name + ".grad", p.Grad!);
        AssertClose("x.grad", x.Grad!);

        using (NoGrad.Scope())
        {
            net.Forward(Input(1));
            net.Forward(Input(2));
        }
        foreach (var (name, buffer) in net.NamedBuffers())
            if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                Assert.That(buffer.Item(), Is.EqualTo(G.Scalar(name)), name);
            else AssertClose(name, buffer);
        Assert.That(net.NamedBuffers().Count(), Is.EqualTo(15), "five BatchNorm2d, three buffers each");

        net.Eval();
        var eval = net.Forward(Input(0));
        AssertClose("eval.code", eval.Code.Data);
        AssertClose("eval.out", eval.Out.Data);
        AssertClose("eval.gen", eval.Gen.Data);

        foreach (var (name, (absolute, relative)) in Seen)
            TestContext.Out.WriteLine($"{name,-32} max abs {absolute:G3}  max rel {relative:G3}");
        TestContext.Out.WriteLine($"conv_rgb_net.json: largest absolute error {Seen.Values.Max(e => e.Absolute):G3}, relative {Seen.Values.Max(e => e.Relative):G3}");
    }

    private static void AssertScalar(string name, double actual)
    {
        double expected = G.Scalar(name), absolute = Math.Abs(actual - expected), relative = absolute / Math.Abs(expected);
        Seen[name] = (absolute, relative);
        Assert.That(relative, Is.LessThanOrEqualTo(Limit), $"{name}: {actual:R} vs TorchSharp {expected:R}");
    }

    // Relative error of each element against the largest magnitude in the tensor, as ConvNetGoldenTests;
    // no gradient here is zero in exact arithmetic as a whole tensor (the squared terms see to the
    // biases a BatchNorm follows), so the floor only guards the division.
    private static void AssertClose(string name, Tensor actual)
    {
        var expected = G.Tensor(name);
        Assert.That(actual.ShapeArray, Is.EqualTo(expected.ShapeArray), name + " shape");
        var e = expected.ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        double scale = Math.Max(e.Max(Math.Abs), 1e-9), worstAbsolute = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double absolute = Math.Abs(a[i] - e[i]);
            worstAbsolute = Math.Max(worstAbsolute, absolute);
            Assert.That(absolute / scale, Is.LessThanOrEqualTo(Limit), $"{name}[{i}]: {a[i]:R} vs TorchSharp {e[i]:R}");
        }
        Seen[name] = (worstAbsolute, worstAbsolute / scale);
    }
}
