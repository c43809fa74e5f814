using System.CommandLine;
using System.Globalization;
using Scratch.Cli.Output;
using Scratch.Cli.Runs;
using Scratch.Models.Checkpoints;
using Scratch.Experiments.Evaluation;
using Spectre.Console;

namespace Scratch.Cli.Commands;

/// <summary>scratch eval: a checkpoint's RE, PSNR, SSIM and loss on a split.</summary>
public static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = OptionRules.PathArgument("checkpoint", "A checkpoint.scratch written by train or compare (or its run folder)");
        var split = OptionRules.OneOf("--split", "Which split to score: test or train", "test", "test", "train");
        var limit = OptionRules.Int("--limit", "Score only the first N images (0 = all)", 0, 0, int.MaxValue);
        var device = CommonOptions.Device();
        var data = new DataArguments();
        var json = CommonOptions.Json();
        var command = new Command("eval", "Score a checkpoint: RE, PSNR, SSIM and loss per sample on a split") { checkpoint, split, limit, device, json };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            var dev = Device.Parse(parse.GetValue(device)!);
            var loaded = ModelCheckpoint.Load(CommonOptions.CheckpointFile(parse.GetValue(checkpoint)!));
            loaded.Model.To(dev);
            var dataset = data.Load(parse, context);
            string splitName = parse.GetValue(split)!;
            var images = (splitName == "train" ? dataset.Train : dataset.Test).Take(parse.GetValue(limit));
            CommonOptions.CheckImages(loaded.Spec.Config, images, dataset.Source);
            var scores = Reconstruction.Score(loaded.Model, images, dev);
            var denoised = Reconstruction.ScoreDenoising(loaded.Model, images, dev);
            var (loss, terms) = RunSummary.Evaluate(loaded.Model, loaded.Options with { Device = dev }, images, loaded.EpochsDone);

            if (parse.GetValue(json))
            {
                JsonResults.Write(context.Output, new System.Text.Json.Nodes.JsonObject
                {
                    ["checkpoint"] = loaded.Path,
                    ["kind"] = loaded.Spec.Kind,
                    ["sizes"] = loaded.Spec.Config.Describe(),
                    ["epochsDone"] = loaded.EpochsDone,
                    ["split"] = splitName,
                    ["images"] = images.Count,
                    ["clean"] = JsonResults.Scores(scores),
                    ["noisy"] = JsonResults.Scores(denoised),
                    ["noise"] = Models.Autoencoders.Corruption.Benchmark.Describe(),
                    ["loss"] = double.IsFinite(loss) ? loss : null,
                    ["terms"] = JsonResults.Terms(terms),
                });
                return 0;
            }
            var c = CultureInfo.InvariantCulture;
            context.Line($"{loaded.Spec.Kind} {loaded.Spec.Config.Describe()} after {loaded.EpochsDone} epochs, {splitName} split ({images.Count} images)");
            // Two columns: reconstructions of the clean digits, and of digits damaged by the benchmark noise (against the clean ones).
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("metric").AddColumn(new TableColumn("clean input").RightAligned())
                .AddColumn(new TableColumn(Markup.Escape($"noisy input ({Models.Autoencoders.Corruption.Benchmark.Describe()})")).RightAligned());
            table.AddRow("RE (MSE per pixel)", scores.Re.ToString("F6", c), denoised.Re.ToString("F6", c));
            table.AddRow("PSNR dB", scores.Psnr.ToString("F3", c), denoised.Psnr.ToString("F3", c));
            table.AddRow("SSIM", scores.Ssim.ToString("F4", c), denoised.Ssim.ToString("F4", c));
            table.AddRow("loss per sample", loss.ToString("F4", c), "");
            if (terms.Count > 1)
                foreach (var (name, value) in terms) table.AddRow(Markup.Escape($"  {name}"), value.ToString("F4", c), "");
            context.Console.Write(table);
            return 0;
        });
        return command;
    }
}
