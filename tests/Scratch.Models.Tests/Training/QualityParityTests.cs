using Scratch.Models.Autoencoders;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Models.Tests.Training;

// Quality parity with TorchSharp on the bundled sample, the recipes of pytorch/examples (reference
// numbers measured with TorchSharp 0.107 / libtorch 2.10 on this machine, ../shared/DESIGN.md).
// RNG streams differ between engines, so the bar is a 2% band, not the digits.
public class QualityParityTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    private static double TestLossAfterTenEpochs(ModelSpec spec)
    {
        var model = ModelFactory.Create(spec, new Rng(1));
        var trainer = new Trainer(model, new Adam(model.Parameters(), 1e-3), new TrainOptions { Epochs = 10, BatchSize = 128, Seed = 1 });
        var history = trainer.Fit(Data.Value);
        TestContext.Out.WriteLine(string.Join("\n", history.Select(r => $"epoch {r.Epoch}: train {r.TrainLoss:F3}, test {r.TestLoss:F3}")));
        return history[^1].TestLoss;
    }

    [Test]
    public void Vae_784_400_20_BceKl_TenEpochs_Within2PercentOfTorchSharp()
    {
        const double TorchSharp = 124.0;
        double loss = TestLossAfterTenEpochs(new ModelSpec { Kind = "vae" });
        Assert.That(loss, Is.InRange(TorchSharp * 0.98, TorchSharp * 1.02));
    }

    [Test]
    public void Ae_784_400_20_SigmoidMse_TenEpochs_Within2PercentOfTorchSharp()
    {
        const double TorchSharp = 12.2;
        double loss = TestLossAfterTenEpochs(new ModelSpec { Kind = "ae", Config = new AutoencoderConfig { Loss = ReconstructionLoss.Mse } });
        Assert.That(loss, Is.InRange(TorchSharp * 0.98, TorchSharp * 1.02));
    }
}
