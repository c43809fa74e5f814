using Scratch.Models.Autoencoders;

namespace Scratch.Models.Tests.Autoencoders;

public class StartAtMeanTests
{
    [Test]
    public void OutputBias_BecomesTheLogitOfTheMeanImage()
    {
        var config = new AutoencoderConfig { InputSize = 4, HiddenSizes = [3], LatentSize = 2 };
        var model = new ContractiveAutoencoder(config, new Rng(1));
        model.StartAtMean([0.3, 0.5, 0.0, 1.0]);   // the mean of two images of 4 pixels
        var bias = ((Scratch.Models.Nn.Linear)model.Decoder.Layers[^1]).Bias!.Data.ToArray<float>();
        double Logit(double p) => Math.Log(p / (1 - p));
        Assert.That(bias[0], Is.EqualTo(Logit(0.3)).Within(1e-6));
        Assert.That(bias[1], Is.EqualTo(0).Within(1e-6));
        Assert.That(bias[2], Is.EqualTo(Logit(1e-3)).Within(1e-5), "an all-black pixel is clamped, not −∞");
        Assert.That(bias[3], Is.EqualTo(Logit(1 - 1e-3)).Within(1e-4));
        Assert.That(model.HasSaturatingCode, Is.True);
        Assert.That(new UndercompleteAutoencoder(config, new Rng(1)).HasSaturatingCode, Is.False);
    }

    [Test]
    public void WrongSize_IsAClearError()
    {
        var model = new ContractiveAutoencoder(new AutoencoderConfig { InputSize = 4, HiddenSizes = [], LatentSize = 2 }, new Rng(1));
        Assert.That(Assert.Throws<ArgumentException>(() => model.StartAtMean(new double[7]))!.Message, Does.Contain("start at mean"));
    }
}
