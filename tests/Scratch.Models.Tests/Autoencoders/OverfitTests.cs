using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;

namespace Scratch.Models.Tests.Autoencoders;

// Every variant can drive its loss far down on one small batch of real digits: the whole
// forward/backward/optimizer chain works for it.
public class OverfitTests
{
    private static readonly Lazy<Tensor> SmallBatch = new(() =>
    {
        var train = MnistDataset.Load(MnistDataset.DefaultDirectory()).Train;
        return Tensor.FromArray(train.Images[..(16 * 784)], 16, 784);
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
        TestContext.Out.WriteLine($"{kind}: {first:F2} → {last:F2}");
        // BCE-sum per image starts near 784·ln 2 ≈ 543; memorising 16 digits takes it far below.
        Assert.That(last, Is.LessThan(0.4 * first), $"{kind}: loss went from {first} to {last}");
    }
}
