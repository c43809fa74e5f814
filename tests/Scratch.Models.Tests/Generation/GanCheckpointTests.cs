using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Gans;
using Scratch.Models.Training;
using Scratch.Testing;

namespace Scratch.Models.Tests.Generation;

// GAN checkpoints: a run stopped after k epochs and resumed from its file ends bitwise where the run
// that was never interrupted ends (weights, BatchNorm buffers, both Adams, the per-step losses), and a
// file that does not fit is refused with the file and the field or tensor named.
public class GanCheckpointTests
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    // 4 steps per epoch on 64 digits: three epochs take well under a second.
    private static readonly GanRecipe Tiny = new() { Shape = new GanShape(LatentSize: 8, Features: 4), BatchSize = 16, Epochs = 3, TrainLimit = 64 };

    private static ImageSet Train => Data.Value.Train.Take(64);

    // Everything a run owns, as bits: each network's state_dict and each Adam's moments and step count.
    private static List<(string, float[])> Everything(GanTrainer t) =>
        t.Networks.SelectMany(n => n.Network.NamedState().Select(s => (n.Name + "." + s.Name, s.Value.ToArray<float>()))
            .Concat(n.Optimizer.State().Select(s => ($"{n.Name}.adam.{s.Name}", s.State.ToArray<float>())))
            .Append(($"{n.Name}.adam.steps", new float[] { n.Optimizer.StepCount }))).ToList();

    private static double[] Losses(GanTrainer t) => t.Steps.SelectMany(s => s.Terms.Select(x => x.Value)).ToArray();

    private static void AssertResumeIsBitwise(Func<GanRecipe, GanTrainer> create, Action<GanTrainer> fit, int k)
    {
        using var temp = new TempFolder();
        string path = temp.File("gan.checkpoint.scratch");
        var whole = create(Tiny);
        fit(whole);

        var first = create(Tiny with { Epochs = k });
        fit(first);
        GanCheckpoint.Save(path, first);
        Assert.That(GanCheckpoint.EpochsDone(path), Is.EqualTo(k));
        var resumed = create(Tiny);
        GanCheckpoint.Restore(path, resumed);
        Assert.That(Everything(resumed), Is.EqualTo(Everything(first)), "the file holds the run as it was");
        fit(resumed);

        Assert.That(resumed.Loop.EpochsDone, Is.EqualTo(Tiny.Epochs));
        Assert.That(Everything(resumed), Is.EqualTo(Everything(whole)), "bitwise the uninterrupted run");
        Assert.That(Losses(resumed), Is.EqualTo(Losses(whole)), "the per-step losses, restored and continued");
        Assert.That(resumed.Loop.History.Select(e => e.TrainLoss), Is.EqualTo(whole.Loop.History.Select(e => e.TrainLoss)));
        Assert.That(Everything(resumed), Is.Not.EqualTo(Everything(first)), "and it did train further");
    }

    [Test]
    public void Dcgan_ResumedAfterOneEpoch_IsBitwiseTheUninterruptedRun() =>
        AssertResumeIsBitwise(r => new DcganTrainer(r, Train), t => ((DcganTrainer)t).Fit(), k: 1);

    [Test]
    public void VaeGan_ResumedAfterTwoEpochs_IsBitwiseTheUninterruptedRun() =>
        AssertResumeIsBitwise(r => new VaeGanTrainer(r, Train), t => ((VaeGanTrainer)t).Fit(), k: 2);

    private static string SavedDcgan(TempFolder temp)
    {
        string path = temp.File("dcgan.checkpoint.scratch");
        var trainer = new DcganTrainer(Tiny with { Epochs = 1 }, Train);
        trainer.Fit();
        GanCheckpoint.Save(path, trainer);
        return path;
    }

    private static void AssertRefused(string path, GanTrainer into, string mentions)
    {
        var before = Everything(into);
        var e = Assert.Throws<CheckpointFormatException>(() => GanCheckpoint.Restore(path, into));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain(mentions));
        Assert.That(Everything(into), Is.EqualTo(before), "nothing loaded from a refused file");
    }

    [Test]
    public void AnotherRecipeOrModel_IsRefusedNamingTheField()
    {
        using var temp = new TempFolder();
        string path = SavedDcgan(temp);
        AssertRefused(path, new DcganTrainer(Tiny with { Seed = 2 }, Train), "metadata field 'recipe.seed' is \"1\", but this run's is \"2\"");
        AssertRefused(path, new DcganTrainer(Tiny with { Shape = new GanShape(8, 6) }, Train), "'recipe.features' is 4, but this run's is 6");
        AssertRefused(path, new VaeGanTrainer(Tiny, Train), "metadata field 'content' is 'scratch-dcgan', expected 'scratch-vae-gan'");
    }

    [Test]
    public void MissingWrongShapedOrCorruptTensors_AreRefusedNamingTheTensor()
    {
        using var temp = new TempFolder();
        string path = SavedDcgan(temp);
        var (meta, arrays) = TrainingState.ReadParts(path);

        string missing = temp.File("missing.scratch");
        TrainingState.WriteParts(missing, meta, arrays.Where(a => a.Name != "optimizer.discriminator.v.2"));
        AssertRefused(missing, new DcganTrainer(Tiny, Train), "has no tensor 'optimizer.discriminator.v.2'");

        string misshapen = temp.File("misshapen.scratch");
        TrainingState.WriteParts(misshapen, meta, arrays.Select(a => a.Name == "generator.net.2.running_mean" ? (a.Name, Tensor.Zeros([3])) : a));
        AssertRefused(misshapen, new DcganTrainer(Tiny, Train), "tensor 'generator.net.2.running_mean' has shape (3) but the model needs (8)");

        string extra = temp.File("extra.scratch");
        TrainingState.WriteParts(extra, meta, arrays.Append(("encoder.head.bias", Tensor.Zeros([2]))));
        AssertRefused(extra, new DcganTrainer(Tiny, Train), "holds tensor 'encoder.head.bias'");

        string negative = temp.File("negative.scratch");
        TrainingState.WriteParts(negative, meta, arrays.Select(a => a.Name == "optimizer.generator.v.1" ? (a.Name, Tensor.Full(a.Tensor.ShapeArray, -1f)) : a));
        AssertRefused(negative, new DcganTrainer(Tiny, Train), "tensor 'optimizer.generator.v.1' (Adam's second moment) is -1");

        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x10;   // inside the last tensor's data
        string flipped = temp.File("flipped.scratch");
        File.WriteAllBytes(flipped, bytes);
        AssertRefused(flipped, new DcganTrainer(Tiny, Train), "fails its CRC-32 check");

        string truncated = temp.File("truncated.scratch");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        AssertRefused(truncated, new DcganTrainer(Tiny, Train), "truncated");
    }
}
