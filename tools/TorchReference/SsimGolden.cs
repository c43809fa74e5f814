using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.TorchReference;

/// <summary>
/// ssim.json: SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) on 28×28 image pairs, written out with
/// plain torch ops (conv2d, no SSIM library), so the Scratch metric is checked against the paper's
/// formula evaluated by an independent engine.
/// </summary>
internal static class SsimGolden
{
    public const string FileName = "ssim.json";
    public const int Size = 28;
    public const int WindowSize = 11;
    public const double Sigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;
    public const double DataRange = 1.0;

    private const string Description =
        "SSIM (Wang et al. 2004) in float64, computed with TorchSharp 0.107 tensor ops. " +
        "Window: 11x11 Gaussian, sigma 1.5: g[k] = exp(-(k-5)^2 / (2*1.5^2)) for k = 0..10, normalized to sum 1, window = outer(g, g). " +
        "C1 = (K1*L)^2, C2 = (K2*L)^2 with K1 = 0.01, K2 = 0.03, L = 1. " +
        "Local statistics by 'valid' conv2d with the window (no padding): 28x28 -> 18x18. " +
        "mu_a = w*a, mu_b = w*b, var_a = w*(a^2) - mu_a^2, var_b = w*(b^2) - mu_b^2, cov = w*(a b) - mu_a mu_b; " +
        "map = ((2 mu_a mu_b + C1)(2 cov + C2)) / ((mu_a^2 + mu_b^2 + C1)(var_a + var_b + C2)); ssim = mean(map). " +
        "Pairs, i = row, j = column, 0..27, clip = clamp to [0,1]: " +
        "smooth_noise: a = 0.5 + 0.5*sin(0.3 i)*cos(0.2 j), b = clip(a + 0.1*sin(12.9898 i + 78.233 j)); " +
        "identical: a = b = 0.5 + 0.4*sin(0.25*(i + j)) * cos(0.15*(i - j)); " +
        "constant: a = 0.3, b = 0.7 everywhere; " +
        "inverted: a = 0.5 + 0.5*sin(0.3 i)*cos(0.2 j), b = 1 - a; " +
        "shifted: a = 0.5 + 0.5*sin(0.3 i)*cos(0.2 j), b = 0.5 + 0.5*sin(0.3 (i+2))*cos(0.2 (j+1)); " +
        "contrast: a = 0.5 + 0.5*cos(0.05*((i-13.5)^2 + (j-13.5)^2)), b = 0.5 + 0.5*(a - 0.5) + 0.1. " +
        "Tensors '<pair>.a', '<pair>.b' (28,28), '<pair>.map' (18,18), 'window' (11,11); scalars '<pair>.ssim' and the constants. " +
        "Colour (as scikit-image's structural_similarity with channel_axis: each channel's SSIM, then their mean): " +
        "'colour.a', 'colour.b' (3,20,24) with c = channel, i = row 0..19, j = column 0..23: a = 0.5 + 0.45*sin(0.3 i + 0.7 c)*cos(0.2 j - 0.4 c), " +
        "b = clip(a + (0.04 + 0.05 c)*sin(12.9898 i + 78.233 j + 3.1 c)); 'colour.ssim_per_channel' (3) by a grouped conv2d (10x14 maps), scalar 'colour.ssim' = their mean.";

    private static double Smooth(int i, int j) => 0.5 + 0.5 * Math.Sin(0.3 * i) * Math.Cos(0.2 * j);
    private static double Clip(double v) => Math.Clamp(v, 0.0, 1.0);
    private static double Ring(int i, int j) => 0.5 + 0.5 * Math.Cos(0.05 * ((i - 13.5) * (i - 13.5) + (j - 13.5) * (j - 13.5)));
    private static double Diagonal(int i, int j) => 0.5 + 0.4 * Math.Sin(0.25 * (i + j)) * Math.Cos(0.15 * (i - j));

    public static readonly (string Name, Func<int, int, double> A, Func<int, int, double> B)[] Pairs =
    [
        ("smooth_noise", Smooth, (i, j) => Clip(Smooth(i, j) + 0.1 * Math.Sin(12.9898 * i + 78.233 * j))),
        ("identical", Diagonal, Diagonal),
        ("constant", (_, _) => 0.3, (_, _) => 0.7),
        ("inverted", Smooth, (i, j) => 1.0 - Smooth(i, j)),
        ("shifted", Smooth, (i, j) => 0.5 + 0.5 * Math.Sin(0.3 * (i + 2)) * Math.Cos(0.2 * (j + 1))),
        ("contrast", Ring, (i, j) => 0.5 + 0.5 * (Ring(i, j) - 0.5) + 0.1),
    ];

    // window: (11, 11), sums to 1.
    public static Tensor Window()
    {
        var g = Formula.Vector(WindowSize, k => Math.Exp(-((k - WindowSize / 2) * (k - WindowSize / 2)) / (2 * Sigma * Sigma)));
        g = g / g.sum();
        return g.outer(g);
    }

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        var window = Window();
        golden.Add("window", window);
        foreach (var (name, fa, fb) in Pairs)
        {
            var a = Formula.Matrix(Size, Size, fa);
            var b = Formula.Matrix(Size, Size, fb);
            var map = SsimMap(a, b, window);
            golden.Add($"{name}.a", a);
            golden.Add($"{name}.b", b);
            golden.Add($"{name}.map", map);
            golden.AddScalar($"{name}.ssim", map.mean());
        }
        AddColour(golden, window);
        golden.AddScalar("window_size", WindowSize);
        golden.AddScalar("sigma", Sigma);
        golden.AddScalar("k1", K1);
        golden.AddScalar("k2", K2);
        golden.AddScalar("data_range", DataRange);
        return golden;
    }

    // a, b: (3, 20, 24): every channel through the same window at once (groups = 3), each map averaged, then the channels.
    private static void AddColour(GoldenFile golden, Tensor window)
    {
        const int c = 3, h = 20, w = 24;
        var a = Formula.Flat([c, h, w], k => 0.5 + 0.45 * Math.Sin(0.3 * (k / w % h) + 0.7 * (k / (h * w))) * Math.Cos(0.2 * (k % w) - 0.4 * (k / (h * w))));
        var b = Formula.Flat([c, h, w], k =>
        {
            int ch = k / (h * w), i = k / w % h, j = k % w;
            double av = 0.5 + 0.45 * Math.Sin(0.3 * i + 0.7 * ch) * Math.Cos(0.2 * j - 0.4 * ch);
            return Clip(av + (0.04 + 0.05 * ch) * Math.Sin(12.9898 * i + 78.233 * j + 3.1 * ch));
        });
        double c1 = (K1 * DataRange) * (K1 * DataRange);
        double c2 = (K2 * DataRange) * (K2 * DataRange);
        var weights = window.reshape(1, 1, WindowSize, WindowSize).expand(c, 1, WindowSize, WindowSize);
        Tensor Filter(Tensor image) => F.conv2d(image.reshape(1, c, h, w), weights, groups: c).reshape(c, h - WindowSize + 1, w - WindowSize + 1);
        var muA = Filter(a);
        var muB = Filter(b);
        var varA = Filter(a * a) - muA * muA;
        var varB = Filter(b * b) - muB * muB;
        var cov = Filter(a * b) - muA * muB;
        var map = (2 * muA * muB + c1) * (2 * cov + c2) / ((muA * muA + muB * muB + c1) * (varA + varB + c2));   // (3, 10, 14)
        var perChannel = map.mean([1, 2]);
        golden.Add("colour.a", a);
        golden.Add("colour.b", b);
        golden.Add("colour.ssim_per_channel", perChannel);
        golden.AddScalar("colour.ssim", perChannel.mean());
    }

    // a, b: (28, 28), window: (11, 11) → map: (18, 18)
    private static Tensor SsimMap(Tensor a, Tensor b, Tensor window)
    {
        double c1 = (K1 * DataRange) * (K1 * DataRange);
        double c2 = (K2 * DataRange) * (K2 * DataRange);
        var w = window.reshape(1, 1, WindowSize, WindowSize);
        Tensor Filter(Tensor image) => F.conv2d(image.reshape(1, 1, Size, Size), w).reshape(Size - WindowSize + 1, Size - WindowSize + 1);
        var muA = Filter(a);
        var muB = Filter(b);
        var varA = Filter(a * a) - muA * muA;
        var varB = Filter(b * b) - muB * muB;
        var cov = Filter(a * b) - muA * muB;
        return (2 * muA * muB + c1) * (2 * cov + c2) / ((muA * muA + muB * muB + c1) * (varA + varB + c2));
    }
}
