using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.TorchReference;

/// <summary>
/// conv_net.json: a small float64 network that uses every module of the convolution family —
/// Conv2d (padding; dilation), BatchNorm2d, LeakyReLU, MaxPool2d, AvgPool2d (padding),
/// ConvTranspose2d (stride 2, output_padding 1), Flatten, Linear, BatchNorm1d, Unflatten — with its
/// forward values, every gradient, the BatchNorm running statistics after three passes in train
/// mode, and the outputs in eval mode. Modules are TorchSharp's own (torch.nn), so their defaults
/// (momentum 0.1, eps 1e-5, unbiased running variance) are what is checked.
/// </summary>
internal static class ConvNetGolden
{
    public const string FileName = "conv_net.json";

    private const string Description =
        "Conv-family network in float64, TorchSharp 0.107 (libtorch 2.10), torch.nn modules. " +
        "Inputs x_s (2,1,6,6), s = 0,1,2: x_s[k] = sin(0.3*k + 0.1 + 0.5*s) (k flat row-major index). " +
        "Parameters, k flat index of each tensor, L the layer number: weight[k] = 0.5*sin(0.37*k + L), bias[k] = 0.1*cos(0.73*k + L); " +
        "BatchNorm weight[k] = 1 + 0.1*sin(k + L), bias[k] = 0.05*cos(k + L). " +
        "Layers: L1 conv1 = Conv2d(1,3,3,stride 1,padding 1); bn1 = BatchNorm2d(3) (L2); leaky_relu(0.2); max_pool2d(2); " +
        "L3 conv2 = Conv2d(3,4,2,stride 1,padding 1,dilation 2); avg_pool2d(2,stride 1,padding 1); " +
        "L4 deconv = ConvTranspose2d(4,2,3,stride 2,padding 1,output_padding 1); flatten; L5 fc = Linear(128,6); " +
        "bn2 = BatchNorm1d(6) (L6); unflatten(1,(2,3)) → out (2,2,3). " +
        "loss = sum(out * r) + 0.1*sum(h8^2), r (2,2,3): r[k] = cos(0.7*k) (the h8 term gives the biases before bn2 a non-zero gradient; conv1.bias.grad is zero in exact arithmetic, bn1 follows it). Forward keys h1..h9 and out are from the first pass (x_0, train mode); " +
        "'<param>.grad' and 'x.grad' are d loss/d of that pass. Then two more train-mode forward passes on x_1, x_2 (no parameter updates); " +
        "'<bn>.running_mean', '<bn>.running_var', '<bn>.num_batches_tracked' after the three passes; 'eval.out' = the network in eval mode on x_0.";

    public static Tensor Input(int s) => Formula.Flat([2, 1, 6, 6], k => Math.Sin(0.3 * k + 0.1 + 0.5 * s));

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        var conv1 = nn.Conv2d(1, 3, 3, stride: 1, padding: 1);
        var bn1 = nn.BatchNorm2d(3);
        var conv2 = nn.Conv2d(3, 4, 2, stride: 1, padding: 1, dilation: 2);
        var deconv = nn.ConvTranspose2d(4, 2, 3, stride: 2, padding: 1, output_padding: 1);
        var fc = nn.Linear(128, 6);
        var bn2 = nn.BatchNorm1d(6);
        SetConv(conv1.weight!, conv1.bias!, 1);
        SetBatchNorm(bn1.weight!, bn1.bias!, 2);
        SetConv(conv2.weight!, conv2.bias!, 3);
        SetConv(deconv.weight!, deconv.bias!, 4);
        SetConv(fc.weight!, fc.bias!, 5);
        SetBatchNorm(bn2.weight!, bn2.bias!, 6);
        var r = Formula.Flat([2, 2, 3], k => Math.Cos(0.7 * k));

        Tensor[] Forward(Tensor x)
        {
            var h1 = conv1.forward(x);                                      // (2, 3, 6, 6)
            var h2 = bn1.forward(h1);                                       // (2, 3, 6, 6)
            var h3 = F.leaky_relu(h2, 0.2);                                 // (2, 3, 6, 6)
            var h4 = F.max_pool2d(h3, 2);                                   // (2, 3, 3, 3)
            var h5 = conv2.forward(h4);                                     // (2, 4, 3, 3)
            var h6 = F.avg_pool2d(h5, 2, stride: 1, padding: 1);            // (2, 4, 4, 4)
            var h7 = deconv.forward(h6);                                    // (2, 2, 8, 8)
            var h8 = fc.forward(h7.flatten(1));                             // (2, 6)
            var h9 = bn2.forward(h8);                                       // (2, 6)
            var outT = h9.unflatten(1, [2, 3]);                             // (2, 2, 3)
            return [h1, h2, h3, h4, h5, h6, h7, h8, h9, outT];
        }

        var x0 = Input(0).requires_grad_();
        var values = Forward(x0);
        var loss = (values[^1] * r).sum() + 0.1 * values[7].pow(2).sum();
        loss.backward();

        golden.Add("x", x0);
        golden.Add("r", r);
        foreach (var (name, p) in Parameters(conv1, bn1, conv2, deconv, fc, bn2)) golden.Add(name, p);
        for (int i = 0; i < 9; i++) golden.Add($"h{i + 1}", values[i]);
        golden.Add("out", values[^1]);
        golden.AddScalar("loss", loss);
        foreach (var (name, p) in Parameters(conv1, bn1, conv2, deconv, fc, bn2)) golden.Add(name + ".grad", p.grad!);
        golden.Add("x.grad", x0.grad!);

        using (no_grad())
        {
            Forward(Input(1));
            Forward(Input(2));
            foreach (var (name, bn) in new (string, dynamic)[] { ("bn1", bn1), ("bn2", bn2) })
            {
                golden.Add(name + ".running_mean", (Tensor)bn.running_mean);
                golden.Add(name + ".running_var", (Tensor)bn.running_var);
                golden.AddScalar(name + ".num_batches_tracked", ((Tensor)bn.num_batches_tracked).item<long>());
            }
            foreach (var m in new nn.Module[] { conv1, bn1, conv2, deconv, fc, bn2 }) m.eval();
            golden.Add("eval.out", Forward(Input(0))[^1]);
        }
        return golden;
    }

    private static IEnumerable<(string, Tensor)> Parameters(Conv2d conv1, BatchNorm2d bn1, Conv2d conv2, ConvTranspose2d deconv, Linear fc, BatchNorm1d bn2) =>
    [
        ("conv1.weight", conv1.weight!), ("conv1.bias", conv1.bias!), ("bn1.weight", bn1.weight!), ("bn1.bias", bn1.bias!),
        ("conv2.weight", conv2.weight!), ("conv2.bias", conv2.bias!), ("deconv.weight", deconv.weight!), ("deconv.bias", deconv.bias!),
        ("fc.weight", fc.weight!), ("fc.bias", fc.bias!), ("bn2.weight", bn2.weight!), ("bn2.bias", bn2.bias!),
    ];

    private static void SetConv(Tensor weight, Tensor bias, int layer)
    {
        using var _ = no_grad();
        weight.copy_(Formula.Flat(weight.shape, k => 0.5 * Math.Sin(0.37 * k + layer)));
        bias.copy_(Formula.Flat(bias.shape, k => 0.1 * Math.Cos(0.73 * k + layer)));
    }

    private static void SetBatchNorm(Tensor weight, Tensor bias, int layer)
    {
        using var _ = no_grad();
        weight.copy_(Formula.Flat(weight.shape, k => 1 + 0.1 * Math.Sin(k + layer)));
        bias.copy_(Formula.Flat(bias.shape, k => 0.05 * Math.Cos(k + layer)));
    }
}
