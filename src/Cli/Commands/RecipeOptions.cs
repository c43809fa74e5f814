using System.CommandLine;
using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;
using Scratch.Models.Training;

namespace Scratch.Cli.Commands;

/// <summary>
/// The options that define a model and its training recipe, shared by train and compare (which
/// differ only in their defaults, e.g. compare trains fewer epochs so the whole family is quick).
/// </summary>
public sealed class RecipeOptions
{
    public Option<int[]> Hidden { get; } = new("--hidden")
    {
        Description = "Hidden layer sizes of the encoder, comma-separated (the decoder mirrors them); none for no hidden layer",
        DefaultValueFactory = _ => [400],
        CustomParser = CommonOptions.ParseSizes,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
    };
    public Option<string> Arch { get; } = OptionRules.OneOf("--arch", "Encoder/decoder: mlp (through --hidden) or conv (4×4 stride-2 convolutions with BatchNorm and LeakyReLU while the smaller side is at least 8, channels from --width doubling per stage; mirrored transposed convolutions; ae, denoising, vae, avae)", "mlp", "mlp", "conv");
    public Option<int> Width { get; } = OptionRules.Int("--width", "--arch conv: channels of the first stride-2 stage, doubled by each further stage", ConvNetworks.DefaultWidth, 1, 1024);
    public Option<int> Latent { get; } = OptionRules.Int("--latent", "Size of the code z", 20, 1, CommonOptions.MaxLayerSize);
    public Option<string> Activation { get; } = OptionRules.OneOf("--activation", "Hidden activation: relu, sigmoid or tanh", "relu", "relu", "sigmoid", "tanh");
    public Option<string> Loss { get; } = OptionRules.OneOf("--loss", "Reconstruction loss: bce (on logits) or mse (on sigmoid outputs)", "bce", "bce", "mse");
    public Option<int> Epochs { get; }
    public Option<int> Batch { get; } = OptionRules.Int("--batch", "Mini-batch size", 128, 1, 65536);
    public Option<double> LearningRate { get; } = OptionRules.Double("--lr", "Learning rate (the peak, with a schedule)", 1e-3, OptionRules.Range.Above(0));
    public Option<ulong> Seed { get; } = OptionRules.Seed("--seed", "Seed of the initial weights, batch order and noise", 1UL);
    public Option<int> TrainLimit { get; } = OptionRules.Int("--train-limit", "Use only the first N training images (0 = all)", 0, 0, int.MaxValue);
    public Option<int> TestLimit { get; } = OptionRules.Int("--test-limit", "Use only the first N test images (0 = all)", 0, 0, int.MaxValue);
    public Option<double> Beta { get; } = OptionRules.Double("--beta", "VAE and AVAE: weight of the KL term", 1.0, OptionRules.Range.AtLeast(0));
    public Option<double> Warmup { get; } = OptionRules.Double("--warmup", "VAE and AVAE: epochs over which β rises linearly from 0", 0.0, OptionRules.Range.AtLeast(0, MaxEpochs));
    public Option<double?> Rho { get; } = OptionRules.OptionalDouble("--rho",
        $"Sparse AE: target mean activation ρ of each code unit (default {Defaults.SparsityRho.ToString(System.Globalization.CultureInfo.InvariantCulture)}). "
        + $"AVAE: ρ of the coupling p(z_aux | z) = N(ρz, (1 − ρ²)I), how closely the code of a decoded code follows it (default {Defaults.Rho.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        new(0, 1, MinOpen: true, MaxOpen: true));
    public Option<double> SparsityWeight { get; } = OptionRules.Double("--sparsity-weight", "Sparse AE: weight of the KL(ρ‖ρ̂) penalty", 1.0, OptionRules.Range.AtLeast(0));
    public Option<double> L1 { get; } = OptionRules.Double("--l1", "Sparse AE: use an L1 penalty with this λ instead of the KL (0 = KL)", 0.0, OptionRules.Range.AtLeast(0));
    public Option<double> Sigma { get; } = OptionRules.Double("--sigma", "Denoising AE: standard deviation of the Gaussian noise", 0.3, OptionRules.Range.Positive(10));
    public Option<string> NoiseClip { get; } = OptionRules.OneOf("--noise-clip", "Denoising AE: clip the noisy input to [0, 1]",
        Corruption.DefaultClip ? "yes" : "no", "yes", "no");
    public Option<double> Mask { get; } = OptionRules.Double("--mask", "Denoising AE: mask this fraction of pixels instead of adding noise (0 = noise)", 0.0, new(0, 1, MaxOpen: true));
    public Option<double> Lambda { get; } = OptionRules.Double("--lambda", "Contractive AE: weight λ of the Jacobian penalty", 1e-4, OptionRules.Range.AtLeast(0));

    public Option<string> Optimizer { get; } = OptionRules.OneOf("--optimizer", "adam, adamw (decoupled weight decay) or sgd", "adam", TrainOptions.Optimizers);
    public Option<double> Momentum { get; } = OptionRules.Double("--momentum", "SGD: momentum μ", 0.0, new(0, 1, MaxOpen: true));
    public Option<double> WeightDecay { get; } = OptionRules.Double("--weight-decay", "Weight decay (L2 for adam and sgd, decoupled for adamw)", 0.0, OptionRules.Range.AtLeast(0));
    public Option<string> Schedule { get; } = OptionRules.OneOf("--schedule", "Learning-rate schedule: constant, step (× --gamma every --step-size epochs) or cosine (to 0 at the last epoch)", "constant", TrainOptions.Schedules);
    public Option<int> StepSize { get; } = OptionRules.Int("--step-size", "Step schedule: epochs between decays", 10, 1, MaxEpochs);
    public Option<double> Gamma { get; } = OptionRules.Double("--gamma", "Step schedule: factor of each decay", 0.1, new(0, 1, MinOpen: true));
    public Option<double> LrWarmup { get; } = OptionRules.Double("--lr-warmup", "Epochs over which the learning rate rises linearly from 0 (0 = none)", 0.0, OptionRules.Range.AtLeast(0, MaxEpochs));
    public Option<int> Patience { get; } = OptionRules.Int("--patience", "Early stopping: stop after N epochs without a better validation loss (0 = never); the validation images are held out of training (--validation)", 0, 0, MaxEpochs);
    public Option<double> Validation { get; } = OptionRules.Double("--validation", "With --patience: the share of the training images held out, chosen by the seed, for the validation loss early stopping watches (never the test split)", 0.1, new OptionRules.Range(0, 1, MinOpen: true, MaxOpen: true));
    public Option<double> ClipNorm { get; } = OptionRules.Double("--clip-norm", "Clip the gradients' global L2 norm to this (0 = no clipping)", 0.0, OptionRules.Range.AtLeast(0));

    private static readonly ModelSpec Defaults = new();

    /// <summary>Largest --epochs and --warmup: a typo guard, far beyond any run on this data.</summary>
    public const int MaxEpochs = 100_000;

    /// <param name="canResume">Whether the command has --resume (train): only then does --epochs' help mention it.</param>
    public RecipeOptions(int defaultEpochs, bool canResume = false)
    {
        Epochs = OptionRules.Int("--epochs", canResume ? "Epochs to train (with --resume: the total, counting those already done)" : "Epochs to train",
            defaultEpochs, 0, MaxEpochs);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Arch, Width, Hidden, Latent, Activation, Loss, Epochs, Batch, LearningRate, Seed, TrainLimit, TestLimit,
                     Beta, Warmup, Rho, SparsityWeight, L1, Sigma, NoiseClip, Mask, Lambda,
                     Optimizer, Momentum, WeightDecay, Schedule, StepSize, Gamma, LrWarmup, Patience, Validation, ClipNorm })
            command.Add(option);
    }

    /// <summary>The model the options describe, for images of <paramref name="pixels"/> pixels (the data's).</summary>
    public ModelSpec Spec(ParseResult parse, string kind, Models.Data.ImageShape image)
    {
        if (parse.GetValue(Arch) == "conv" && !ModelSpec.ConvKinds.Contains(kind))
            throw new UsageException($"--arch conv: model '{kind}' has no conv architecture (conv models: {string.Join(", ", ModelSpec.ConvKinds)}); use --arch mlp");
        if (parse.GetValue(Arch) == "conv" && (image.Height < ConvStages.MinSide || image.Width < ConvStages.MinSide))
            throw new UsageException($"--arch conv takes images of at least {ConvStages.MinSide}×{ConvStages.MinSide} pixels, and the data's are {image}; use --arch mlp, or a larger --image-size");
        return SpecOf(parse, kind, image);
    }

    private ModelSpec SpecOf(ParseResult parse, string kind, Models.Data.ImageShape image) => new()
    {
        Kind = kind,
        Config = new AutoencoderConfig
        {
            InputSize = image.Pixels,
            Image = image,
            HiddenSizes = parse.GetValue(Hidden) ?? [],
            LatentSize = parse.GetValue(Latent),
            Activation = Enum.Parse<Activation>(parse.GetValue(Activation)!, ignoreCase: true),
            Loss = Enum.Parse<ReconstructionLoss>(parse.GetValue(Loss)!, ignoreCase: true),
            Architecture = Enum.Parse<Architecture>(parse.GetValue(Arch)!, ignoreCase: true),
            ConvWidth = parse.GetValue(Width),
        },
        Beta = parse.GetValue(Beta),
        WarmupEpochs = parse.GetValue(Warmup),
        SparsityRho = parse.GetValue(Rho) ?? Defaults.SparsityRho,
        Rho = parse.GetValue(Rho) ?? Defaults.Rho,
        SparsityBeta = parse.GetValue(SparsityWeight),
        SparsityL1 = parse.GetValue(L1),
        NoiseSigma = parse.GetValue(Sigma),
        NoiseClip = parse.GetValue(NoiseClip) == "yes",
        MaskFraction = parse.GetValue(Mask),
        ContractiveLambda = parse.GetValue(Lambda),
    };

    public TrainOptions Options(ParseResult parse, Device device)
    {
        var options = new TrainOptions
        {
            Epochs = parse.GetValue(Epochs),
            BatchSize = parse.GetValue(Batch),
            LearningRate = parse.GetValue(LearningRate),
            Seed = parse.GetValue(Seed),
            TrainLimit = parse.GetValue(TrainLimit),
            TestLimit = parse.GetValue(TestLimit),
            Optimizer = parse.GetValue(Optimizer)!,
            Momentum = parse.GetValue(Momentum),
            WeightDecay = parse.GetValue(WeightDecay),
            Schedule = parse.GetValue(Schedule)!,
            StepSize = parse.GetValue(StepSize),
            Gamma = parse.GetValue(Gamma),
            LrWarmup = parse.GetValue(LrWarmup),
            Patience = parse.GetValue(Patience),
            ValidationFraction = parse.GetValue(Validation),
            ClipNorm = parse.GetValue(ClipNorm),
            Device = device,
        };
        options.Validate();
        return options;
    }
}
