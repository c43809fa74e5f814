using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

/// <summary>
/// --model avae through the commands: a one-epoch run on the bundled sample writes its four loss
/// terms and round-trips through its checkpoint (eval, sample, resume); --from post-processes the
/// tiny VAE run (encoder trained, decoder kept) and refuses, in one line with exit 2, what cannot
/// start one: another model, another kind of checkpoint, other sizes, images of another shape.
/// </summary>
public class AvaeCommandTests
{
    private static string[] Train(string folder, params string[] more) =>
        ["train", "--model", "avae", "--epochs", "1", "--out", folder, "--threads", "2", .. TinyRuns.TinyRecipe, .. more];

    [Test]
    public void Train_Eval_Sample_Resume_OnTheBundledSample()
    {
        using var temp = new TempFolder();
        var trained = CliRunner.Ok(Train(temp.Path, "--rho", "0.8"));
        Assert.That(trained.Output, Does.Contain("avae"));
        var csv = File.ReadAllLines(temp.File("history.csv"));
        Assert.That(csv[0], Does.StartWith("epoch,train_loss,test_loss,train_reconstruction,train_kl,train_conditional,train_entropy"));
        Assert.That(File.Exists(temp.File("samples.png")), Is.True, "an AVAE has a prior to draw from, as a VAE");

        var loaded = ModelCheckpoint.Load(temp.File("checkpoint.scratch"));
        var avae = (AutoencodingVae)loaded.Model;
        Assert.That((loaded.Spec.Kind, avae.Rho, avae.PostProcessing, loaded.Spec.Config.Describe()), Is.EqualTo(("avae", 0.8, false, "784-32-2")));
        Assert.That(loaded.Trainer.Optimizer.Parameters, Has.Count.EqualTo(avae.Parameters().Count()), "every parameter is trained");

        var eval = CliRunner.Ok("eval", temp.File("checkpoint.scratch"), "--limit", "100");
        Assert.That(eval.Output, Does.Contain("avae 784-32-2").And.Contain("conditional").And.Contain("entropy"));
        CliRunner.Ok("sample", temp.File("checkpoint.scratch"), "--count", "8", "--out", temp.File("s.png"));
        Assert.That(File.Exists(temp.File("s.png")), Is.True);

        CliRunner.Ok("train", "--resume", temp.File("checkpoint.scratch"), "--epochs", "2", "--threads", "2");
        var resumed = ModelCheckpoint.Load(temp.File("checkpoint.scratch"));
        Assert.That((resumed.EpochsDone, ((AutoencodingVae)resumed.Model).Rho), Is.EqualTo((2, 0.8)));
    }

    [Test]
    public void From_PostProcessesTheVae_TrainingTheEncoderAndKeepingTheDecoder()
    {
        using var temp = new TempFolder();
        string vaeFile = TinyRuns.Checkpoint(TinyRuns.Vae);
        var vae = ModelCheckpoint.Load(vaeFile).Model.StateDict();
        var run = CliRunner.Ok(Train(temp.Path, "--from", TinyRuns.Vae));
        Assert.That(run.Output + run.Error, Does.Contain("post-processing the vae of"));

        var loaded = ModelCheckpoint.Load(temp.File("checkpoint.scratch"));
        var avae = (AutoencodingVae)loaded.Model;
        Assert.That((loaded.Spec.Kind, avae.PostProcessing, avae.Rho), Is.EqualTo(("avae", true, AutoencodingVae.DefaultRho)));
        Assert.That(loaded.Trainer.Optimizer.Parameters, Has.Count.EqualTo(avae.Encoder.Parameters().Count()), "the encoder only");
        foreach (var (name, value) in avae.NamedState())
        {
            bool same = value.ToArray<float>().SequenceEqual(vae[name].ToArray<float>());
            if (name.StartsWith("decoder.", StringComparison.Ordinal)) Assert.That(same, Is.True, $"{name} is the VAE's");
        }
        Assert.That(avae.Encoder.NamedParameters().Any(p => !p.Parameter.Data.ToArray<float>().SequenceEqual(vae["encoder." + p.Name].ToArray<float>())), Is.True,
            "the encoder was trained");

        var eval = CliRunner.Ok("eval", temp.File("checkpoint.scratch"), "--limit", "50");
        Assert.That(eval.Output, Does.Contain("conditional"));
        CliRunner.Ok("sample", temp.File("checkpoint.scratch"), "--count", "4", "--out", temp.File("s.png"));

        // Resumed, it stays a post-processing run: the decoder is still the VAE's.
        CliRunner.Ok("train", "--resume", temp.File("checkpoint.scratch"), "--epochs", "2", "--threads", "2");
        var resumed = (AutoencodingVae)ModelCheckpoint.Load(temp.File("checkpoint.scratch")).Model;
        Assert.That(resumed.PostProcessing, Is.True);
        foreach (var (name, value) in resumed.Decoder.NamedState())
            Assert.That(value.ToArray<float>(), Is.EqualTo(vae["decoder." + name].ToArray<float>()), $"decoder.{name} after the resumed epoch");
    }

    [Test]
    public void From_ACheckpointThatIsNotAVae_IsOneLine()
    {
        using var temp = new TempFolder();
        CliRunner.Run(Train(temp.File("run"), "--from", TinyRuns.Checkpoint(TinyRuns.Ae))).AssertOneLineError(2, "'ae'", "VAE");
        Assert.That(Directory.Exists(temp.File("run")), Is.False, "nothing was written");
    }

    [Test]
    public void From_AnotherModelOrWithResume_IsOneLine()
    {
        using var temp = new TempFolder();
        CliRunner.Run(["train", "--model", "vae", "--from", TinyRuns.Vae, "--out", temp.File("run"), .. TinyRuns.TinyRecipe])
            .AssertOneLineError(2, "--from", "--model avae");
        CliRunner.Run(["train", "--model", "avae", "--from", TinyRuns.Vae, "--resume", TinyRuns.Vae, "--out", temp.File("run")])
            .AssertOneLineError(2, "--from", "--resume");
        CliRunner.Run(Train(temp.File("run"), "--from", TinyRuns.Vae, "--patience", "2")).AssertOneLineError(2, "--patience");
    }

    [Test]
    public void From_AVaeOfOtherSizesOrAnotherImageShape_IsOneLine()
    {
        using var temp = new TempFolder();
        var otherLatent = Train(temp.File("run"), "--from", TinyRuns.Vae);
        otherLatent[Array.IndexOf(otherLatent, "--latent") + 1] = "3";   // the VAE's latent is 2
        CliRunner.Run(otherLatent)
            .AssertOneLineError(2, "784-32-2", "784-32-3");
        CliRunner.Run(Train(temp.File("run"), "--from", TinyRuns.Vae, "--data", "colour-mnist"))
            .AssertOneLineError(2, "28×28 grey", "28×28 RGB");
        CliRunner.Run(Train(temp.File("run"), "--from", TinyRuns.Vae, "--loss", "mse"))
            .AssertOneLineError(2, "--loss bce", "mse");
        Assert.That(Directory.Exists(temp.File("run")), Is.False, "nothing was written");
    }
}
