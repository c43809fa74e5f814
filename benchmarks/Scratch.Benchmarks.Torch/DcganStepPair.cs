using Scratch.Models.Data;
using Scratch.Models.Gans;
using TorchSharp;

namespace Scratch.Benchmarks.Torch;

/// <summary>
/// One DCGAN training step — the discriminator's update on real and detached fake images, then the
/// generator's through the updated discriminator, Adam 2e-4 β₁ 0.5 each — in both engines from the
/// same weights (Scratch's initialisation for seed 1, copied into the twin), on the same real batch
/// and the same z, in float32 or float64. Each call steps both Adams, so the networks move on as in
/// training; the inputs stay the same.
/// </summary>
public sealed class DcganStepPair
{
    private readonly DcganTrainer _scratch;
    private readonly TorchDcgan _twin;
    private readonly Scratch.Tensor _real, _z;
    private readonly torch.Tensor _treal, _tz;

    /// <param name="shape">The networks (latent, base width, image).</param>
    /// <param name="images">At least <paramref name="batch"/> images of the shape's C×H×W; the first <paramref name="batch"/> are the real batch.</param>
    /// <param name="batch">Images per step (and fakes).</param>
    /// <param name="dtype">Float32 to time; Float64 to check the engines agree beyond float32 rounding.</param>
    public DcganStepPair(GanShape shape, ImageSet images, int batch, Scratch.DType dtype)
    {
        var recipe = new GanRecipe { Shape = shape, BatchSize = batch, Seed = 1, DType = dtype };
        _scratch = new DcganTrainer(recipe, images);
        _twin = new TorchDcgan(recipe, _scratch.Generator, _scratch.Discriminator);
        var real = images.ToFloats(0, batch);                                                        // (B, C·H·W)
        var z = Scratch.Tensor.Randn([batch, shape.LatentSize], new Rng(7)).ToArray<float>();         // (B, Z)
        _real = Scratch.Tensor.FromArray(real, batch, images.PixelsPerImage).To(dtype);
        _z = Scratch.Tensor.FromArray(z, batch, shape.LatentSize).To(dtype);
        var torchType = dtype == Scratch.DType.Float64 ? torch.float64 : torch.float32;
        _treal = TorchRuntime.FromArray(real, batch, images.PixelsPerImage).to(torchType);
        _tz = TorchRuntime.FromArray(z, batch, shape.LatentSize).to(torchType);
    }

    /// <summary>Scratch's step, as DcganTrainer.Step does it after drawing z, in a TensorPool scope. Returns (D loss, G loss).</summary>
    public (double D, double G) StepScratch()
    {
        using (TensorPool.Scope())
            return _scratch.Step(_real, _z);
    }

    /// <summary>The twin's step in a dispose scope. Returns (D loss, G loss).</summary>
    public (double D, double G) StepTorch()
    {
        using var scope = torch.NewDisposeScope();
        return _twin.Step(_treal, _tz);
    }

    /// <summary>
    /// Two steps in both engines: throws unless each loss agrees to <paramref name="lossTolerance"/>
    /// (relative) and, when <paramref name="parameterTolerance"/> is given, every parameter afterwards
    /// to that fraction of its tensor's largest magnitude. Returns Scratch's losses, the worst relative
    /// loss difference and the worst parameter difference found (0 when not checked).
    /// </summary>
    public ((double D, double G)[] Losses, double WorstLoss, double WorstParameter) Validate(double lossTolerance, double? parameterTolerance = null)
    {
        var losses = new (double D, double G)[2];
        double worstLoss = 0;
        for (int step = 0; step < losses.Length; step++)
        {
            var (s, t) = (StepScratch(), StepTorch());
            losses[step] = s;
            double difference = Math.Max(Math.Abs(s.D - t.D) / Math.Abs(t.D), Math.Abs(s.G - t.G) / Math.Abs(t.G));
            if (!(difference <= lossTolerance))
                throw new InvalidOperationException($"DCGAN step {step + 1}: Scratch D {s.D:R}, G {s.G:R}; TorchSharp D {t.D:R}, G {t.G:R}");
            worstLoss = Math.Max(worstLoss, difference);
        }
        if (parameterTolerance is not { } tolerance) return (losses, worstLoss, 0);
        var scratch = _scratch.Generator.Parameters().Concat(_scratch.Discriminator.Parameters()).ToList();
        var twin = _twin.Parameters().ToList();
        double worst = 0;
        for (int i = 0; i < scratch.Count; i++)
        {
            var a = scratch[i].Data.To(Scratch.DType.Float64).ToArray<double>();
            var b = twin[i].to(torch.float64).contiguous().data<double>().ToArray();
            double scale = Math.Max(b.Max(Math.Abs), 1e-12), difference = 0;
            for (int k = 0; k < a.Length; k++) difference = Math.Max(difference, Math.Abs(a[k] - b[k]) / scale);
            if (!(difference <= tolerance))
                throw new InvalidOperationException($"DCGAN parameter {i} ({string.Join("×", scratch[i].Data.ShapeArray)}) after two steps: {difference:E2} of its largest value apart");
            worst = Math.Max(worst, difference);
        }
        return (losses, worstLoss, worst);
    }
}
