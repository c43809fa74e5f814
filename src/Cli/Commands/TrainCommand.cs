using System.CommandLine;
using System.Globalization;
using Scratch.Cli.Output;
using Scratch.Cli.Pictures;
using Scratch.Cli.Runs;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Optim;
using Scratch.Models.Training;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch train: trains one model, saving checkpoint.scratch after every epoch (crash-safe),
/// the loss history as JSON and CSV, and the pictures. --resume continues a saved run exactly;
/// --from starts an AVAE from a trained VAE and post-processes it (<see cref="PostProcessingStart"/>).
/// </summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new RecipeOptions(defaultEpochs: 10, canResume: true);
        var model = OptionRules.OneOf("--model", "Which autoencoder: ae, sparse, denoising, vae, contractive or avae", "vae", ModelSpec.Kinds);
        var device = CommonOptions.Device();
        var data = new DataArguments();
        var output = OptionRules.WithOutputAliases(OptionRules.OptionalText("--out", "Output folder (default: runs/<model>, or the checkpoint's folder with --resume)"));
        var resume = OptionRules.OptionalText("--resume", "Continue from this checkpoint (or run folder); its model and recipe are used, --epochs sets the new total");
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run in the --out folder (without it, such a folder is refused)" };
        var from = OptionRules.OptionalText("--from", PostProcessingStart.Help);

        var command = new Command("train", "Train one autoencoder on MNIST; writes a checkpoint, the loss history and pictures")
        {
            model, device, output, resume, overwrite, from,
        };
        data.AddTo(command);
        recipe.AddTo(command);
        command.SetAction(parse =>
        {
            var dev = Device.Parse(parse.GetValue(device)!);
            string? fromPath = parse.GetValue(from) is { } f ? PostProcessingStart.CheckRequest(parse, f, parse.GetValue(model)!, resume, recipe) : null;
            // The data is checked before the folder is touched: a refused run deletes nothing.
            var dataset = data.Load(parse, context);
            Trainer trainer;
            string? resumePath = parse.GetValue(resume) is { } r ? CommonOptions.CheckpointFile(r) : null;
            string? resumeFolder = resumePath is null ? null : Path.GetDirectoryName(Path.GetFullPath(resumePath))!;
            // Resuming writes into the checkpoint's own folder by design; any other folder must be free.
            bool continuing = resumeFolder is not null && Path.GetFullPath(parse.GetValue(output) ?? resumeFolder).TrimEnd(Path.DirectorySeparatorChar) == resumeFolder.TrimEnd(Path.DirectorySeparatorChar);
            // Locked before its checkpoint is read: two resumes of one run cannot both continue it.
            using var continued = continuing ? RunLock.Take(resumeFolder!) : null;
            if (resumePath is not null)
            {
                var loaded = ModelCheckpoint.Load(resumePath);
                var ignored = command.Options.Where(o => o != recipe.Epochs && o != resume && o != device && !data.All.Contains(o) && o != output && o != overwrite && CommonOptions.Given(parse, o))
                    .Select(o => o.Name).ToList();
                if (ignored.Count > 0)
                    context.Progress.Line($"note: ignoring {string.Join(", ", ignored)}: a resumed run keeps the model and recipe saved in its checkpoint");
                var options = loaded.Options with
                {
                    Epochs = CommonOptions.Given(parse, recipe.Epochs) ? parse.GetValue(recipe.Epochs) : loaded.Options.Epochs,
                    Device = dev,
                };
                if (options.Epochs <= loaded.EpochsDone)
                {
                    // A finished run is one whose every file exists: a run killed while it drew its
                    // pictures is completed; otherwise nothing is rewritten.
                    if (continuing && Complete(context, loaded, dataset, resumeFolder!)) return 0;
                    context.Line($"nothing to do: {resumePath} has already trained {loaded.EpochsDone} epochs (target {options.Epochs}); pass a larger --epochs to train further");
                    return 0;
                }
                trainer = ModelCheckpoint.Resume(loaded, options);
                context.Progress.Line($"resuming {loaded.Spec.Kind} {loaded.Spec.Config.Describe()} from {resumePath} after epoch {loaded.EpochsDone}");
            }
            else
            {
                var spec = recipe.Spec(parse, parse.GetValue(model)!, dataset.Shape);
                var options = recipe.Options(parse, dev);
                var net = fromPath is null ? ModelFactory.Create(spec, new Rng(options.Seed)) : PostProcessingStart.FromVae(context, fromPath, spec);
                net.To(dev);
                trainer = new Trainer(net, Optimization.CreateOptimizer(options, net.TrainableParameters()), options);
            }
            CommonOptions.CheckImages(trainer.Model.Config, dataset.Train, dataset.Source);
            string folder = parse.GetValue(output) ?? resumeFolder ?? Path.Combine("runs", trainer.Model.Kind);
            if (continuing) RunFolder.RemoveLeftovers(folder);
            using var claimed = continuing ? null : RunFolder.Claim(folder, parse.GetValue(overwrite), canResume: true);
            Run(context, trainer, dataset, folder);
            return 0;
        });
        return command;
    }

    // Writes the history and pictures a finished run's folder lacks (a kill after the last epoch's
    // checkpoint); false when it lacks none.
    private static bool Complete(CliContext context, LoadedModel loaded, Models.Data.ImageDataset dataset, string folder)
    {
        var expected = ModelPictures.FileNames(loaded.Model).Prepend("history.csv").Prepend("history.json").ToList();
        var missing = expected.Where(name => !File.Exists(Path.Combine(folder, name))).ToList();
        if (missing.Count == 0) return false;
        RunFolder.RemoveLeftovers(folder);
        CommonOptions.CheckImages(loaded.Spec.Config, dataset.Test, dataset.Source);
        RunFiles.WriteHistory(folder, loaded.History);
        var summary = RunSummary.Build(loaded.Model.Kind, loaded.Model, loaded.Options, loaded.History, dataset.Test);
        RunFiles.WritePictures(folder, summary.Pictures);
        context.Line($"the run in {folder} had trained all {loaded.EpochsDone} epochs but lacked {string.Join(", ", missing)}: written now");
        return true;
    }

    /// <summary>Trains to the target epoch count, saving after each epoch; then scores and draws the model.</summary>
    public static RunSummary Run(CliContext context, Trainer trainer, Models.Data.ImageDataset dataset, string folder)
    {
        Directory.CreateDirectory(folder);
        string checkpoint = Path.Combine(folder, ModelCheckpoint.FileName);
        var model = trainer.Model;
        context.Progress.Line(string.Format(CultureInfo.InvariantCulture, "training {0} {1} ({2:N0} parameters) on {3} for {4} epochs, batch {5}, lr {6}, seed {7}, {8}, {9} thread(s)",
            model.Kind, model.Config.Describe(), model.ParameterCount(), dataset.Source, trainer.Options.Epochs, trainer.Options.BatchSize,
            trainer.Options.LearningRate, trainer.Options.Seed, trainer.Options.Device, Kernels.CpuThreads.Count));
        if (CommonOptions.ValidationNote(trainer.Options, dataset.Train.Take(trainer.Options.TrainLimit).Count) is { } note)
            context.Progress.Line(note);
        new TrainingView(context.Progress).Run((onStep, onEpoch) => trainer.Fit(dataset,
            p => onStep(model.Kind, p),
            r =>
            {
                // After every epoch: a crash or Ctrl+C loses at most the epoch in progress.
                ModelCheckpoint.Save(checkpoint, trainer);
                RunFiles.WriteHistory(folder, trainer.History);
                onEpoch(model.Kind, r);
            }), trainer.Options.Epochs);
        if (trainer.StoppedEarly)
            context.Line($"stopped early after epoch {trainer.EpochsDone}: no better validation loss for {trainer.Options.Patience} epoch(s) (--patience; validation: {trainer.Options.ValidationFraction:P0} of the training images)");
        if (!File.Exists(checkpoint)) ModelCheckpoint.Save(checkpoint, trainer); // zero epochs to go: still leave a checkpoint
        RunFiles.WriteHistory(folder, trainer.History);

        var summary = RunSummary.Build(model.Kind, model, trainer.Options, trainer.History, dataset.Test);
        var pictures = RunFiles.WritePictures(folder, summary.Pictures);
        context.Console.Write(Tables.Scores([summary], "test split"));
        context.Line($"wrote {checkpoint}, history.json, history.csv, {string.Join(", ", pictures.Select(Path.GetFileName))} in {folder}");
        return summary;
    }
}
