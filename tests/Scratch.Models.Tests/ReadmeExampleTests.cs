using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;

namespace Scratch.Models.Tests;

// The README's library example, verbatim, so it cannot rot.
public class ReadmeExampleTests
{
    [Test]
    public void LibraryExample_RunsAndLearns()
    {
        var data = MnistDataset.Load(MnistDataset.DefaultDirectory());
        var vae = new VariationalAutoencoder(new AutoencoderConfig { HiddenSizes = [400], LatentSize = 20 }, new Rng(1));
        var adam = new Adam(vae.Parameters(), learningRate: 1e-3);
        var context = new TrainingContext(new Rng(2));

        var x = Tensor.FromArray(data.Train.Images[..(128 * 784)], 128, 784);   // (B, 784) in [0, 1]
        adam.ZeroGrad();
        var loss = vae.ComputeLoss(x, context);       // reconstruction + β·KL, per digit; loss.Terms has both
        loss.Total.Backward();
        adam.Step();

        Tensor digits;
        using (NoGrad.Scope())
        {
            digits = vae.Sample(16, new Rng(3));  // (16, 784), decoded from z ~ N(0, I)
        }

        Assert.That(loss.Terms.Select(t => t.Name), Is.EqualTo(new[] { "reconstruction", "kl" }));
        Assert.That(digits.ShapeArray, Is.EqualTo(new[] { 16, 784 }));
        Assert.That(vae.ComputeLoss(x, context).Value, Is.LessThan(loss.Value));
    }
}
