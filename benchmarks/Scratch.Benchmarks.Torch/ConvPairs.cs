using Scratch.Autograd;
using Scratch.Kernels;
using Scratch.Models.Autoencoders;
using Scratch.Models.Optim;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// One convolution layer at a batch size: its input map, weight and whether it is transposed. The
/// conv VAE's are 4×4, stride 2, padding 1, with a bias, at batch 128 (the five-argument form);
/// DCGAN's have no bias after BatchNorm, and its generator starts with a stride-1 kernel as big as the
/// smallest map.
/// </summary>
public sealed record ConvLayerShape(string Name, bool Transposed, int InChannels, int OutChannels, Size2 In, Size2 Kernel, int Stride, int Padding,
    Size2 OutputPadding = default, bool Bias = true, int Batch = ConvPair.Batch)
{
    public ConvLayerShape(string name, bool transposed, int inChannels, int outChannels, int side)
        : this(name, transposed, inChannels, outChannels, side, 4, 2, 1) { }

    // The conv VAE's four layers: 4×4 kernels, stride 2, padding 1 (28 → 14 → 7 and back).
    public static readonly ConvLayerShape[] VaeLayers =
    [
        new("conv2d 1→32, 28→14", false, 1, 32, 28),
        new("conv2d 32→64, 14→7", false, 32, 64, 14),
        new("conv_transpose2d 64→32, 7→14", true, 64, 32, 7),
        new("conv_transpose2d 32→1, 14→28", true, 32, 1, 14),
    ];

    /// <summary>The output map: ⌊(n + 2p − k)/s⌋ + 1, or (n − 1)·s − 2p + k + output padding when transposed.</summary>
    public Size2 Out => Transposed
        ? new((In.H - 1) * Stride - 2 * Padding + Kernel.H + OutputPadding.H, (In.W - 1) * Stride - 2 * Padding + Kernel.W + OutputPadding.W)
        : new((In.H + 2 * Padding - Kernel.H) / Stride + 1, (In.W + 2 * Padding - Kernel.W) / Stride + 1);

    /// <summary>
    /// Multiply-adds ×2 of forward, input gradient and weight gradient (each the same count):
    /// 3 · 2·B·C_in·C_out·KH·KW per position of the smaller map (a convolution's output, a
    /// transposed convolution's input). The bias and its gradient are left out.
    /// </summary>
    public double FwdBwdFlops
    {
        get
        {
            var map = Transposed ? In : Out;
            return 3.0 * 2 * Batch * InChannels * OutChannels * Kernel.H * Kernel.W * map.H * map.W;
        }
    }
}

/// <summary>
/// Forward + backward (input, weight and, where it has one, bias gradients) of one conv layer in both
/// engines on the same operands. Scratch: autograd ops inside a TensorPool scope; TorchSharp: F.conv2d /
/// F.conv_transpose2d with requires_grad, in a dispose scope (oneDNN on the CPU).
/// </summary>
public sealed class ConvPair
{
    public const int Batch = 128;
    public ConvLayerShape Shape { get; }
    private readonly Variable _x, _w;
    private readonly Variable? _b;
    private readonly Scratch.Tensor _dy;
    private readonly torch.Tensor _tx, _tw, _tdy;
    private readonly torch.Tensor? _tb;

    public ConvPair(ConvLayerShape shape)
    {
        Shape = shape;
        var rng = new Rng(5);
        var (k, output) = (shape.Kernel, shape.Out);
        int[] xShape = [shape.Batch, shape.InChannels, shape.In.H, shape.In.W];
        int[] wShape = shape.Transposed ? [shape.InChannels, shape.OutChannels, k.H, k.W] : [shape.OutChannels, shape.InChannels, k.H, k.W];
        int[] yShape = [shape.Batch, shape.OutChannels, output.H, output.W];
        var x = Scratch.Tensor.Uniform(xShape, -1, 1, rng);
        var w = Scratch.Tensor.Uniform(wShape, -0.1, 0.1, rng);
        var b = Scratch.Tensor.Uniform([shape.OutChannels], -0.1, 0.1, rng);
        _dy = Scratch.Tensor.Uniform(yShape, -1, 1, rng);
        (_x, _w) = (new Variable(x, requiresGrad: true), new Variable(w, requiresGrad: true));
        _b = shape.Bias ? new Variable(b, requiresGrad: true) : null;
        _tx = Torch(x).requires_grad_();
        _tw = Torch(w).requires_grad_();
        _tb = shape.Bias ? Torch(b).requires_grad_() : null;
        _tdy = Torch(_dy);
    }

    private static torch.Tensor Torch(Scratch.Tensor t) => TorchRuntime.FromArray(t.ToArray<float>(), [.. t.ShapeArray.Select(d => (long)d)]);

    private Variable ForwardScratch() => Shape.Transposed
        ? Variable.ConvTranspose2d(_x, _w, _b, stride: Shape.Stride, padding: Shape.Padding, outputPadding: Shape.OutputPadding)
        : Variable.Conv2d(_x, _w, _b, stride: Shape.Stride, padding: Shape.Padding);

    private torch.Tensor ForwardTorch() => Shape.Transposed
        ? F.conv_transpose2d(_tx, _tw, _tb, [Shape.Stride, Shape.Stride], [Shape.Padding, Shape.Padding], [Shape.OutputPadding.H, Shape.OutputPadding.W])
        : F.conv2d(_tx, _tw, _tb, [Shape.Stride, Shape.Stride], [Shape.Padding, Shape.Padding]);

    public void RunScratch()
    {
        using (TensorPool.Scope())
        {
            _x.ZeroGrad();
            _w.ZeroGrad();
            _b?.ZeroGrad();
            ForwardScratch().Backward(_dy);
        }
    }

    public void RunTorch()
    {
        using var scope = torch.NewDisposeScope();
        _tx.grad?.zero_();
        _tw.grad?.zero_();
        _tb?.grad?.zero_();
        ForwardTorch().backward([_tdy]);
    }

    /// <summary>Throws unless output and all three gradients agree to float32 rounding.</summary>
    public void Validate(int threads)
    {
        TorchRuntime.SetThreadsOfBoth(threads);
        float[] y;
        using (TensorPool.Persistent()) y = ForwardScratch().Data.ToArray<float>();
        RunScratch();
        RunTorch();
        using (var ty = ForwardTorch()) Compare("output", y, TorchRuntime.ToArray(ty));
        Compare("input gradient", _x.Grad!.ToArray<float>(), TorchRuntime.ToArray(_tx.grad!));
        Compare("weight gradient", _w.Grad!.ToArray<float>(), TorchRuntime.ToArray(_tw.grad!));
        if (_b is not null) Compare("bias gradient", _b.Grad!.ToArray<float>(), TorchRuntime.ToArray(_tb!.grad!));
    }

    private void Compare(string what, float[] scratch, float[] torchValues)
    {
        double scale = torchValues.Max(v => Math.Abs(v));
        for (int i = 0; i < scratch.Length; i++)
            if (!(Math.Abs(scratch[i] - torchValues[i]) <= 1e-4 * scale))
                throw new InvalidOperationException($"{Shape.Name} {what}[{i}]: Scratch {scratch[i]}, TorchSharp {torchValues[i]} (scale {scale})");
    }
}

/// <summary>One conv VAE training step (batch 128, Adam 1e-3) in both engines from the same initial weights, sized for the images' C×H×W.</summary>
public sealed class ConvVaeStepPair
{
    private readonly VariationalAutoencoder _model;
    private readonly Adam _adam;
    private readonly TrainingContext _context;
    private readonly Scratch.Tensor _x;
    private readonly TorchConvVae _twin;
    private readonly torch.optim.Optimizer _torchAdam;
    private readonly torch.Tensor _tx;

    public ConvVaeStepPair(Models.Data.ImageSet images, ulong seed = 1)
    {
        var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { Architecture = Architecture.Conv, InputSize = images.PixelsPerImage, Image = images.Shape } };
        _model = (VariationalAutoencoder)ModelFactory.Create(spec, new Rng(seed));
        _twin = new TorchConvVae(_model);
        _adam = new Adam(_model.Parameters(), 1e-3);
        _torchAdam = torch.optim.Adam(_twin.Parameters, lr: 1e-3);
        _context = new TrainingContext(new Rng(seed + 1));
        var batch = images.ToFloats(0, ConvPair.Batch);
        _x = Scratch.Tensor.FromArray(batch, ConvPair.Batch, images.PixelsPerImage);
        _tx = TorchRuntime.FromArray(batch, ConvPair.Batch, images.PixelsPerImage);
    }

    public double StepScratch()
    {
        using (TensorPool.Scope())
        {
            _adam.ZeroGrad();
            var loss = _model.ComputeLoss(_x, _context);
            double value = loss.Value;
            loss.Total.Backward();
            _adam.Step();
            return value;
        }
    }

    public double StepTorch(torch.Tensor? noise = null)
    {
        using var scope = torch.NewDisposeScope();
        _torchAdam.zero_grad();
        var loss = _twin.Loss(_tx, noise);
        loss.backward();
        _torchAdam.step();
        return loss.item<float>();
    }

    /// <summary>Two steps with the same ε (Scratch's draws replayed into torch): losses equal to 1e-4.</summary>
    public void Validate(int threads)
    {
        TorchRuntime.SetThreadsOfBoth(threads);
        for (int step = 0; step < 2; step++)
        {
            var replay = new Rng(1) { State = _context.Rng.State };
            var eps = Scratch.Tensor.Randn([ConvPair.Batch, _model.Config.LatentSize], replay).ToArray<float>();
            using var noise = TorchRuntime.FromArray(eps, ConvPair.Batch, _model.Config.LatentSize);
            double s = StepScratch(), t = StepTorch(noise);
            if (!(Math.Abs(s - t) <= 1e-4 * Math.Abs(t)))
                throw new InvalidOperationException($"conv vae step {step + 1}, {threads} thread(s): Scratch loss {s:R}, TorchSharp {t:R}");
        }
    }
}
