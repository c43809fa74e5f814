using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Tests;

// `scratch train --device ilgpu-cpu` end to end: the GPU kernels (simulated) train, save, score and
// draw, and the losses agree with the same tiny run on the CPU. Tiny on purpose: on the simulator a
// 16×784×32 matrix product takes about a second.
public class GpuTrainCommandTests
{
    private static readonly string[] Recipe =
        ["--model", "vae", "--epochs", "1", "--hidden", "32", "--latent", "2", "--batch", "16", "--train-limit", "32", "--test-limit", "16", "--seed", "4"];

    [Test]
    public void Train_OnIlgpuCpu_WritesARun_WithTheCpuRunsLosses()
    {
        using var temp = new TempFolder();
        var gpu = CliRunner.Ok(["train", "--device", "ilgpu-cpu", "--out", temp.File("gpu"), .. Recipe]);
        CliRunner.Ok(["train", "--device", "cpu", "--out", temp.File("cpu"), .. Recipe]);
        Assert.That(gpu.Output, Does.Contain("ilgpu-cpu"));
        foreach (var file in new[] { "checkpoint.scratch", "history.json", "reconstructions.png", "samples.png" })
            Assert.That(File.Exists(Path.Combine(temp.File("gpu"), file)), Is.True, file);
        Assert.That(ModelCheckpoint.Load(Path.Combine(temp.File("gpu"), "checkpoint.scratch")).OptimizerSteps, Is.EqualTo(2));

        var onGpu = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.File("gpu"), "history.json")))!.AsArray()[0]!;
        var onCpu = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.File("cpu"), "history.json")))!.AsArray()[0]!;
        foreach (var key in new[] { "trainLoss", "testLoss" })
            Assert.That(onGpu[key]!.GetValue<double>(), Is.EqualTo(onCpu[key]!.GetValue<double>()).Within(1e-4).Percent, key);
    }
}
