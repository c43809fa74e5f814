using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.TorchReference;

/// <summary>
/// conv_rgb_net.json: the layers the engine's image-shaped architectures are made of, on a 3-channel
/// 32×32 input, in float64 — 4×4 stride-2 Conv2d (one without bias) with BatchNorm2d and LeakyReLU,
/// Flatten → Linear to a code; Linear → Unflatten to a non-square (3, 2) map, ConvTranspose2d with
/// an asymmetric output_padding ((1, 0), then (0, 1)) to a non-square (14, 9) output, Sigmoid; and a
/// generator-style ConvTranspose2d with a non-square (3, 2) kernel from the code as a 1×1 map.
/// Forward values, every gradient (parameters and input), BatchNorm running statistics after three
/// train-mode passes, eval-mode outputs. Modules are torch.nn's, built as nn.Sequential so the
/// parameter names are the state_dict names Scratch's Sequential must also give.
/// </summary>
internal static class ConvRgbGolden
{
    public const string FileName = "conv_rgb_net.json";

    private const string Description =
        "RGB conv encoder/decoder in float64, TorchSharp 0.107 (libtorch 2.10), torch.nn modules in nn.Sequential (names are state_dict names). " +
        "Inputs x_s (2,3,32,32), s = 0,1,2: x_s[k] = sin(0.3*k + 0.1 + 0.5*s) (k flat row-major index); key 'x' is x_0. " +
        "Conv layers are 4x4, stride 2, padding 1 unless said. " +
        "encoder = Sequential(0 Conv2d(3,4) → (2,4,16,16), 1 BatchNorm2d(4), 2 LeakyReLU(0.2), 3 Conv2d(4,6,bias=False) → (2,6,8,8), 4 BatchNorm2d(6), 5 LeakyReLU(0.2), " +
        "6 Conv2d(6,8) → (2,8,4,4), 7 Flatten, 8 Linear(128,5)) → code (2,5). " +
        "decoder = Sequential(0 Linear(5,48), 1 Unflatten(1,(8,3,2)), 2 BatchNorm2d(8), 3 ReLU, 4 ConvTranspose2d(8,6,output_padding (1,0)) → (2,6,7,4), " +
        "5 BatchNorm2d(6), 6 LeakyReLU(0.2), 7 ConvTranspose2d(6,3,output_padding (0,1)) → logits (2,3,14,9), 8 Sigmoid) → out. " +
        "generator = Sequential(0 Unflatten(1,(5,1,1)), 1 ConvTranspose2d(5,4,kernel (3,2),stride 1,padding 0,bias=False) → (2,4,3,2), 2 BatchNorm2d(4), 3 ReLU) on the code → gen. " +
        "Parameters, k flat index, L = 1..13 in the order encoder.0, encoder.1, encoder.3, encoder.4, encoder.6, encoder.8, decoder.0, decoder.2, decoder.4, decoder.5, decoder.7, generator.1, generator.2: " +
        "weight[k] = 0.5*sin(0.37*k + L), bias[k] = 0.1*cos(0.73*k + L); BatchNorm weight[k] = 1 + 0.1*sin(k + L), bias[k] = 0.05*cos(k + L). " +
        "r (2,3,14,9): r[k] = cos(0.7*k); r_gen (2,4,3,2): r_gen[k] = sin(0.45*k + 0.2); target (2,3,14,9): target[k] = 0.5 + 0.5*sin(0.05*k + 0.9). " +
        "loss = sum(out*r) + sum(gen*r_gen) + bce + 0.01*(sum(encoder.0.out^2) + sum(decoder.0.out^2) + sum(decoder.4.out^2)), " +
        "bce = binary_cross_entropy_with_logits(logits, target, reduction sum). The squared terms give the three biases that a BatchNorm follows " +
        "(encoder.0, decoder.0 through the Unflatten, decoder.4) a gradient that is not zero in exact arithmetic; the r_gen term is the generator's only path to the loss. " +
        "Six elements of decoder.4.weight.grad, [2, :, 0, 0], are exactly 0: that tap reaches only map positions (1,1) and (2,1), where channel 2 after decoder.3 (ReLU) is 0 in both images. " +
        "Each ConvTranspose2d runs as F.conv_transpose2d with the module's weight, bias, stride, padding and full output_padding, which is torch.nn's forward " +
        "(TorchSharp 0.107's module forward passes only output_padding[0], which libtorch repeats for both dims). " +
        "'<seq>.<i>.out' is the output of each layer with parameters, 'out' and 'gen' the two outputs, from the first pass (x_0, train mode); " +
        "'<param>.grad' and 'x.grad' are d loss/d of that pass. Then two more train-mode forward passes on x_1, x_2 (no parameter updates); " +
        "'<bn>.running_mean', '<bn>.running_var' and the scalar '<bn>.num_batches_tracked' after the three passes; " +
        "'eval.code', 'eval.out', 'eval.gen' = the networks in eval mode on x_0.";

    public static Tensor Input(int s) => Formula.Flat([2, 3, 32, 32], k => Math.Sin(0.3 * k + 0.1 + 0.5 * s));

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        nn.Module<Tensor, Tensor>[] encoder =
        [
            nn.Conv2d(3, 4, 4, stride: 2, padding: 1),                    // 0: (2,3,32,32) → (2,4,16,16)
            nn.BatchNorm2d(4), nn.LeakyReLU(0.2),
            nn.Conv2d(4, 6, 4, stride: 2, padding: 1, bias: false),       // 3: → (2,6,8,8)
            nn.BatchNorm2d(6), nn.LeakyReLU(0.2),
            nn.Conv2d(6, 8, 4, stride: 2, padding: 1),                    // 6: → (2,8,4,4)
            nn.Flatten(),                                                 // 7: → (2,128)
            nn.Linear(128, 5),                                            // 8: → code (2,5)
        ];
        nn.Module<Tensor, Tensor>[] decoder =
        [
            nn.Linear(5, 8 * 3 * 2),                                      // 0: (2,5) → (2,48)
            nn.Unflatten(1, [8, 3, 2]),                                   // 1: → (2,8,3,2)
            nn.BatchNorm2d(8), nn.ReLU(),
            nn.ConvTranspose2d(8, 6, (4, 4), stride: (2, 2), padding: (1, 1), output_padding: (1, 0)),   // 4: → (2,6,7,4)
            nn.BatchNorm2d(6), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(6, 3, (4, 4), stride: (2, 2), padding: (1, 1), output_padding: (0, 1)),   // 7: → logits (2,3,14,9)
            nn.Sigmoid(),                                                 // 8: → out
        ];
        nn.Module<Tensor, Tensor>[] generator =
        [
            nn.Unflatten(1, [5, 1, 1]),                                   // 0: code (2,5) → (2,5,1,1)
            nn.ConvTranspose2d(5, 4, (3, 2), stride: (1, 1), padding: (0, 0), bias: false),             // 1: → (2,4,3,2)
            nn.BatchNorm2d(4), nn.ReLU(),
        ];
        var sequentials = new (string Name, nn.Module<Tensor, Tensor>[] Layers)[] { ("encoder", encoder), ("decoder", decoder), ("generator", generator) };
        var named = sequentials
            .SelectMany(s => nn.Sequential(s.Layers).named_parameters().Select(p => (Name: $"{s.Name}.{p.name}", P: p.parameter)))
            .ToList();
        var batchNorms = sequentials
            .SelectMany(s => s.Layers.Select((m, i) => (Name: $"{s.Name}.{i}", Module: m)))
            .Where(m => m.Module is BatchNorm2d)
            .Select(m => (m.Name, Module: (BatchNorm2d)m.Module))
            .ToList();
        SetFormulaWeights(named);

        var r = Formula.Flat([2, 3, 14, 9], k => Math.Cos(0.7 * k));
        var rGen = Formula.Flat([2, 4, 3, 2], k => Math.Sin(0.45 * k + 0.2));
        var target = Formula.Flat([2, 3, 14, 9], k => 0.5 + 0.5 * Math.Sin(0.05 * k + 0.9));

        // Every layer's output, by "<sequential>.<index>".
        Dictionary<string, Tensor> Forward(Tensor x)
        {
            var outputs = new Dictionary<string, Tensor>();
            Tensor Run(string name, nn.Module<Tensor, Tensor>[] layers, Tensor h)
            {
                for (int i = 0; i < layers.Length; i++) outputs[$"{name}.{i}"] = h = Apply(layers[i], h);
                return h;
            }
            var code = Run("encoder", encoder, x);
            Run("decoder", decoder, code);
            Run("generator", generator, code);
            return outputs;
        }

        var x0 = Input(0).requires_grad_();
        var h = Forward(x0);
        foreach (var (layer, shape) in ExpectedShapes)
            if (!h[layer].shape.SequenceEqual(shape))
                throw new InvalidOperationException($"ConvRgbGolden: {layer} is ({string.Join(",", h[layer].shape)}), expected ({string.Join(",", shape)})");
        var bce = F.binary_cross_entropy_with_logits(h["decoder.7"], target, reduction: nn.Reduction.Sum);
        var squares = h["encoder.0"].pow(2).sum() + h["decoder.0"].pow(2).sum() + h["decoder.4"].pow(2).sum();
        var loss = (h["decoder.8"] * r).sum() + (h["generator.3"] * rGen).sum() + bce + 0.01 * squares;
        loss.backward();

        golden.Add("x", x0);
        golden.Add("r", r);
        golden.Add("r_gen", rGen);
        golden.Add("target", target);
        foreach (var (name, p) in named) golden.Add(name, p);
        foreach (var layer in named.Select(n => n.Name[..n.Name.LastIndexOf('.')]).Distinct())
            golden.Add(layer + ".out", h[layer]);
        golden.Add("out", h["decoder.8"]);
        golden.Add("gen", h["generator.3"]);
        golden.AddScalar("bce", bce);
        golden.AddScalar("loss", loss);
        foreach (var (name, p) in named) golden.Add(name + ".grad", p.grad!);
        golden.Add("x.grad", x0.grad!);

        using (no_grad())
        {
            Forward(Input(1));
            Forward(Input(2));
            foreach (var (name, bn) in batchNorms)
            {
                golden.Add(name + ".running_mean", bn.running_mean!);
                golden.Add(name + ".running_var", bn.running_var!);
                golden.AddScalar(name + ".num_batches_tracked", bn.num_batches_tracked!.item<long>());
            }
            foreach (var m in encoder.Concat(decoder).Concat(generator)) m.eval();
            var e = Forward(Input(0));
            golden.Add("eval.code", e["encoder.8"]);
            golden.Add("eval.out", e["decoder.8"]);
            golden.Add("eval.gen", e["generator.3"]);
        }
        return golden;
    }

    // TorchSharp 0.107's ConvTranspose2d.forward(input) passes only output_padding[0] to libtorch, which
    // repeats it for both dims: output_padding (1, 0) gave (2,6,7,5), not (2,6,7,4). The functional
    // call with the module's own weight, bias and full output_padding is what torch.nn computes.
    private static Tensor Apply(nn.Module<Tensor, Tensor> layer, Tensor h) => layer is ConvTranspose2d t
        ? F.conv_transpose2d(h, t.weight, t.bias, t.stride, t.padding, t.output_padding, t.dilation, t.groups)
        : layer.forward(h);

    // The shapes the description promises, checked against what libtorch computed.
    private static readonly (string Layer, long[] Shape)[] ExpectedShapes =
    [
        ("encoder.0", [2, 4, 16, 16]), ("encoder.3", [2, 6, 8, 8]), ("encoder.6", [2, 8, 4, 4]), ("encoder.7", [2, 128]), ("encoder.8", [2, 5]),
        ("decoder.0", [2, 48]), ("decoder.1", [2, 8, 3, 2]), ("decoder.4", [2, 6, 7, 4]), ("decoder.7", [2, 3, 14, 9]), ("decoder.8", [2, 3, 14, 9]),
        ("generator.0", [2, 5, 1, 1]), ("generator.1", [2, 4, 3, 2]), ("generator.3", [2, 4, 3, 2]),
    ];

    // L counts the modules with parameters in the order of the description (named_parameters' order).
    private static void SetFormulaWeights(List<(string Name, Parameter P)> named)
    {
        using var _ = no_grad();
        var layers = named.Select(n => n.Name[..n.Name.LastIndexOf('.')]).Distinct().ToList();
        foreach (var (name, p) in named)
        {
            string module = name[..name.LastIndexOf('.')];
            int layer = layers.IndexOf(module) + 1;
            bool isBatchNorm = named.Any(n => n.Name == module + ".weight" && n.P.shape.Length == 1);
            bool isBias = name.EndsWith(".bias", StringComparison.Ordinal);
            Func<int, double> formula = (isBatchNorm, isBias) switch
            {
                (true, false) => k => 1 + 0.1 * Math.Sin(k + layer),
                (true, true) => k => 0.05 * Math.Cos(k + layer),
                (false, false) => k => 0.5 * Math.Sin(0.37 * k + layer),
                (false, true) => k => 0.1 * Math.Cos(0.73 * k + layer),
            };
            p.copy_(Formula.Flat(p.shape, formula));
        }
    }
}
