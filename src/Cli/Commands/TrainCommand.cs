using System.CommandLine;
using System.Globalization;
using Scratch.Cli.Output;
using Scratch.Cli.Runs;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch train: trains one model, saving checkpoint.scratch after every epoch (crash-safe),
/// the loss history as JSON and CSV, and the pictures. --resume continues a saved run exactly.
/// </summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new RecipeOptions(defaultEpochs: 10);
        var model = new Option<string>("--model") { Description = "Which autoencoder: ae, sparse, denoising, vae or contractive", DefaultValueFactory = _ => "vae" };
        model.AcceptOnlyFromAmong(ModelSpec.Kinds);
        var device = CommonOptions.Device();
        var data = CommonOptions.Data();
        var output = new Option<string?>("--out") { Description = "Output folder (default: runs/<model>, or the checkpoint's folder with --resume)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint; its model and recipe are used, --epochs sets the new total" };

        var command = new Command("train", "Train one autoencoder on MNIST; writes a checkpoint, the loss history and pictures")
        {
            model, device, data, output, resume,
        };
        recipe.AddTo(command);
        command.SetAction(parse =>
        {
            var dev = Device.Parse(parse.GetValue(device)!);
            Trainer trainer;
            string? resumePath = parse.GetValue(resume);
            if (resumePath is not null)
            {
                var loaded = ModelCheckpoint.Load(resumePath);
                var ignored = command.Options.Where(o => o != recipe.Epochs && o != resume && o != device && o != data && o != output && CommonOptions.Given(parse, o))
                    .Select(o => o.Name).ToList();
                if (ignored.Count > 0)
                    context.Line($"note: ignoring {string.Join(", ", ignored)}: a resumed run keeps the model and recipe saved in its checkpoint");
                var options = loaded.Options with
                {
                    Epochs = CommonOptions.Given(parse, recipe.Epochs) ? parse.GetValue(recipe.Epochs) : loaded.Options.Epochs,
                    Device = dev,
                };
                trainer = ModelCheckpoint.Resume(loaded, options);
                context.Line($"resuming {loaded.Spec.Kind} {loaded.Spec.Config.Describe()} from {resumePath} after epoch {loaded.EpochsDone}");
            }
            else
            {
                var spec = recipe.Spec(parse, parse.GetValue(model)!);
                var options = recipe.Options(parse, dev);
                var net = ModelFactory.Create(spec, new Rng(options.Seed));
                net.To(dev);
                trainer = new Trainer(net, new Adam(net.Parameters(), options.LearningRate), options);
            }
            string folder = parse.GetValue(output)
                ?? (resumePath is not null ? Path.GetDirectoryName(Path.GetFullPath(resumePath))! : Path.Combine("runs", trainer.Model.Kind));
            var dataset = CommonOptions.LoadData(parse.GetValue(data));
            Run(context, trainer, dataset, folder);
            return 0;
        });
        return command;
    }

    /// <summary>Trains to the target epoch count, saving after each epoch; then scores and draws the model.</summary>
    public static RunSummary Run(CliContext context, Trainer trainer, Models.Data.MnistDataset dataset, string folder)
    {
        Directory.CreateDirectory(folder);
        string checkpoint = Path.Combine(folder, ModelCheckpoint.FileName);
        var model = trainer.Model;
        context.Line(string.Format(CultureInfo.InvariantCulture, "training {0} {1} ({2:N0} parameters) on {3} for {4} epochs, batch {5}, lr {6}, seed {7}, {8}, {9} thread(s)",
            model.Kind, model.Config.Describe(), model.ParameterCount(), dataset.Directory, trainer.Options.Epochs, trainer.Options.BatchSize,
            trainer.Options.LearningRate, trainer.Options.Seed, trainer.Options.Device, Kernels.CpuThreads.Count));
        new TrainingView(context).Run((onStep, onEpoch) => trainer.Fit(dataset,
            p => onStep(model.Kind, p),
            r =>
            {
                // After every epoch: a crash or Ctrl+C loses at most the epoch in progress.
                ModelCheckpoint.Save(checkpoint, trainer);
                RunFiles.WriteHistory(folder, trainer.History);
                onEpoch(model.Kind, r);
            }), trainer.Options.Epochs);
        if (!File.Exists(checkpoint)) ModelCheckpoint.Save(checkpoint, trainer); // zero epochs to go: still leave a checkpoint
        RunFiles.WriteHistory(folder, trainer.History);

        var summary = RunSummary.Build(model.Kind, model, trainer.Options, trainer.History, dataset.Test);
        var pictures = RunFiles.WritePictures(folder, summary.Pictures);
        context.Console.Write(Tables.Scores([summary], "test split"));
        context.Line($"wrote {checkpoint}, history.json, history.csv, {string.Join(", ", pictures.Select(Path.GetFileName))} in {folder}");
        return summary;
    }
}
