using System.CommandLine;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.Commands;

/// <summary>
/// train --model avae --from CHECKPOINT: the AVAE's post-processing of a trained VAE. The new run
/// holds the VAE's weights and trains its encoder for self-consistency on images its decoder
/// generates from z ~ N(0, I) (<see cref="AutoencodingVae.SelfSupervisedLoss"/>); no training image
/// reaches the loss. The data still sets how many samples make an epoch, and its test split gives
/// the test loss and scores, so the run compares with the VAE's.
/// </summary>
public static class PostProcessingStart
{
    /// <summary>The --from option's help.</summary>
    public const string Help = "--model avae: post-process this trained VAE (a checkpoint or run folder): start from its weights and train the encoder only, "
        + "for self-consistency, on images its decoder generates from z ~ N(0, I); no training image is used (the data sets the epoch's length, its test split the scores). "
        + "The avae must have the VAE's --arch, --hidden, --latent, --width, --activation, --loss and image shape";

    /// <summary>
    /// Refuses, before any data is read, a --from that cannot start a post-processing run: another
    /// --model, together with --resume or --patience, or a checkpoint that is not an autoencoder's
    /// VAE. Returns the checkpoint file.
    /// </summary>
    public static string CheckRequest(ParseResult parse, string from, string kind, Option resume, RecipeOptions recipe)
    {
        if (kind != "avae")
            throw new UsageException($"--from: only --model avae starts from a trained VAE (post-processing); this run is --model {kind}");
        if (CommonOptions.Given(parse, resume))
            throw new UsageException("--from and --resume: --from starts a new post-processing run from a VAE, --resume continues a run; give one of them");
        // Early stopping would watch held-out training images: data the post-processing must not use.
        if (parse.GetValue(recipe.Patience) > 0)
            throw new UsageException("--from: --patience watches a validation split of the training images, which post-processing does not use; drop --patience");
        string path = CommonOptions.CheckpointFile(from);
        string content = TrainingState.Read(path).Content;
        if (content != ModelCheckpoint.Content)
            throw new UsageException($"--from {path}: holds a '{content}' checkpoint, not an autoencoder's; post-processing starts from a trained VAE (--model vae)");
        return path;
    }

    /// <summary>The AVAE of <paramref name="spec"/> holding the VAE's weights, or one line (exit 2) saying how the two differ.</summary>
    public static AutoencodingVae FromVae(CliContext context, string path, ModelSpec spec)
    {
        var loaded = ModelCheckpoint.Load(path);
        // An AVAE checkpoint is a VAE too, but post-processing one would mix two objectives' runs.
        if (loaded.Spec.Kind != "vae" || loaded.Model is not VariationalAutoencoder vae)
            throw new UsageException($"--from {path}: holds a '{loaded.Spec.Kind}' model; post-processing starts from a trained VAE (--model vae)");
        if (Difference(vae.Config, spec.Config) is { } difference)
            throw new UsageException($"--from {path}: {difference}; the avae must have the VAE's shape and sizes");
        context.Progress.Line($"post-processing the vae of {path} ({loaded.EpochsDone} epochs): its encoder is trained for self-consistency (rho {spec.Rho}) on images its decoder generates; its decoder is kept");
        return AutoencodingVae.PostProcess(vae, spec.Rho, spec.Beta, spec.WarmupEpochs);
    }

    // The first way the trained VAE and the asked-for AVAE differ, in the options' words; null when they agree.
    private static string? Difference(AutoencoderConfig vae, AutoencoderConfig wanted)
    {
        if (vae.Image is { } a && wanted.Image is { } b && a != b)
            return $"its VAE takes {a} images and the data's are {b}";
        if (vae.InputSize != wanted.InputSize)
            return $"its VAE takes {vae.InputSize} values per image and the data's images have {wanted.InputSize}";
        if (vae.Describe() != wanted.Describe())
            return $"its VAE is {vae.Describe()} and this avae would be {wanted.Describe()} (--arch, --hidden, --latent, --width)";
        if (vae.Architecture == Architecture.Mlp && vae.Activation != wanted.Activation)
            return $"its VAE has --activation {Word(vae.Activation)} and this avae {Word(wanted.Activation)}";
        if (vae.Loss != wanted.Loss)
            return $"its VAE has --loss {Word(vae.Loss)} and this avae {Word(wanted.Loss)}";
        return null;
    }

    private static string Word<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();
}
