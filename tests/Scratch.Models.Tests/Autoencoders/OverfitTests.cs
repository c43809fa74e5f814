using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;

namespace Scratch.Models.Tests.Autoencoders;

// Every variant can memorise one small batch of real digits: the whole forward/backward/optimizer
// chain works for it. "Memorise" is checked against what a model that ignores its input can reach —
// the best constant output, the batch's mean image — and by each digit's reconstruction being
// nearest to that digit, which no constant output can do.
public class OverfitTests
{
    private static readonly Lazy<Tensor> SmallBatch = new(() =>
    {
        var train = DataSource.Load(DataSource.SampleDirectory()).Train;
        return Tensor.FromArray(train.ToFloats(0, 16), 16, 784);
    });

    [TestCase("ae")]
    [TestCase("sparse")]
    [TestCase("denoising")]
    [TestCase("vae")]
    [TestCase("contractive")]
    public void Overfits_A_SmallBatch(string kind)
    {
        var spec = new ModelSpec { Kind = kind, Config = new AutoencoderConfig { HiddenSizes = [64], LatentSize = 8 }, NoiseSigma = 0.1 };
        var model = ModelFactory.Create(spec, new Rng(3));
        var adam = new Adam(model.Parameters(), 3e-3);
        var context = new TrainingContext(new Rng(4));
        var x = SmallBatch.Value;
        // As the trainer does: a sigmoid code started from random output biases saturates at 1 for
        // every digit and the model can only learn the mean image (what this test once let pass).
        if (model.HasSaturatingCode) model.StartAtMean(x.Mean(0).To(DType.Float64).ToArray<double>());
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            adam.ZeroGrad();
            var loss = model.ComputeLoss(x, context);
            if (step == 0) first = loss.Value;
            last = loss.Value;
            loss.Total.Backward();
            adam.Step();
        }
        double reconstruction = model.ComputeLoss(x, context).Terms.Single(t => t.Name == "reconstruction").Value;
        double meanImage = MeanImageBce(x);
        TestContext.Out.WriteLine($"{kind}: {first:F2} → {last:F2}, reconstruction {reconstruction:F2}, mean image {meanImage:F2}");
        Assert.That(reconstruction, Is.LessThan(0.6 * meanImage), $"{kind}: reconstruction BCE {reconstruction} vs the mean image's {meanImage}");
        Assert.That(NearestToItself(x, model.Reconstruct(x)), Is.GreaterThanOrEqualTo(15), $"{kind}: reconstructions nearest to their own digit (of 16)");
    }

    // BCE per image of the best input-independent output: each pixel predicted as its batch mean.
    private static double MeanImageBce(Tensor x)
    {
        var v = x.ToArray<float>();
        int n = x.Shape[0], p = x.Shape[1];
        double total = 0;
        for (int j = 0; j < p; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += v[i * p + j];
            mean = Math.Clamp(mean / n, 1e-7, 1 - 1e-7);
            for (int i = 0; i < n; i++)
                total -= v[i * p + j] * Math.Log(mean) + (1 - v[i * p + j]) * Math.Log(1 - mean);
        }
        return total / n;
    }

    // How many reconstructions are closer (squared error) to their own input than to any other.
    private static int NearestToItself(Tensor x, Tensor reconstruction)
    {
        var a = x.ToArray<float>();
        var r = reconstruction.Contiguous().ToArray<float>();
        int n = x.Shape[0], p = x.Shape[1], hits = 0;
        for (int i = 0; i < n; i++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int k = 0; k < n; k++)
            {
                double d = 0;
                for (int j = 0; j < p; j++) d += Math.Pow(r[i * p + j] - a[k * p + j], 2);
                if (d < bestDistance) (best, bestDistance) = (k, d);
            }
            if (best == i) hits++;
        }
        return hits;
    }
}
