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
        Description = "Hidden layer sizes of the encoder, comma-separated (the decoder mirrors them)",
        DefaultValueFactory = _ => [400],
        CustomParser = CommonOptions.ParseSizes,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
    };
    public Option<string> Arch { get; } = new("--arch") { Description = "Encoder/decoder: mlp (through --hidden) or conv (1→32→64 stride-2 convolutions with BatchNorm and LeakyReLU, mirrored transposed convolutions; 28×28 images; ae, denoising, vae)", DefaultValueFactory = _ => "mlp" };
    public Option<int> Latent { get; } = new("--latent") { Description = "Size of the code z", DefaultValueFactory = _ => 20 };
    public Option<string> Activation { get; } = new("--activation") { Description = "Hidden activation: relu, sigmoid or tanh", DefaultValueFactory = _ => "relu" };
    public Option<string> Loss { get; } = new("--loss") { Description = "Reconstruction loss: bce (on logits) or mse (on sigmoid outputs)", DefaultValueFactory = _ => "bce" };
    public Option<int> Epochs { get; }
    public Option<int> Batch { get; } = new("--batch") { Description = "Mini-batch size", DefaultValueFactory = _ => 128 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the initial weights, batch order and noise", DefaultValueFactory = _ => 1UL };
    public Option<int> TrainLimit { get; } = new("--train-limit") { Description = "Use only the first N training images (0 = all)", DefaultValueFactory = _ => 0 };
    public Option<int> TestLimit { get; } = new("--test-limit") { Description = "Use only the first N test images (0 = all)", DefaultValueFactory = _ => 0 };
    public Option<double> Beta { get; } = new("--beta") { Description = "VAE: weight of the KL term", DefaultValueFactory = _ => 1.0 };
    public Option<double> Warmup { get; } = new("--warmup") { Description = "VAE: epochs over which β rises linearly from 0", DefaultValueFactory = _ => 0.0 };
    public Option<double> Rho { get; } = new("--rho") { Description = "Sparse AE: target mean activation ρ of each code unit", DefaultValueFactory = _ => 0.05 };
    public Option<double> SparsityWeight { get; } = new("--sparsity-weight") { Description = "Sparse AE: weight of the KL(ρ‖ρ̂) penalty", DefaultValueFactory = _ => 1.0 };
    public Option<double> L1 { get; } = new("--l1") { Description = "Sparse AE: use an L1 penalty with this λ instead of the KL (0 = KL)", DefaultValueFactory = _ => 0.0 };
    public Option<double> Sigma { get; } = new("--sigma") { Description = "Denoising AE: standard deviation of the Gaussian noise", DefaultValueFactory = _ => 0.3 };
    public Option<double> Mask { get; } = new("--mask") { Description = "Denoising AE: mask this fraction of pixels instead of adding noise (0 = noise)", DefaultValueFactory = _ => 0.0 };
    public Option<double> Lambda { get; } = new("--lambda") { Description = "Contractive AE: weight λ of the Jacobian penalty", DefaultValueFactory = _ => 1e-4 };

    public RecipeOptions(int defaultEpochs)
    {
        Epochs = new("--epochs") { Description = "Epochs to train (with --resume: the total, counting those already done)", DefaultValueFactory = _ => defaultEpochs };
        Activation.AcceptOnlyFromAmong("relu", "sigmoid", "tanh");
        Loss.AcceptOnlyFromAmong("bce", "mse");
        Arch.AcceptOnlyFromAmong("mlp", "conv");
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Arch, Hidden, Latent, Activation, Loss, Epochs, Batch, LearningRate, Seed, TrainLimit, TestLimit,
                     Beta, Warmup, Rho, SparsityWeight, L1, Sigma, Mask, Lambda })
            command.Add(option);
    }

    public ModelSpec Spec(ParseResult parse, string kind) => new()
    {
        Kind = kind,
        Config = new AutoencoderConfig
        {
            HiddenSizes = parse.GetValue(Hidden) ?? [],
            LatentSize = parse.GetValue(Latent),
            Activation = Enum.Parse<Activation>(parse.GetValue(Activation)!, ignoreCase: true),
            Loss = Enum.Parse<ReconstructionLoss>(parse.GetValue(Loss)!, ignoreCase: true),
            Architecture = Enum.Parse<Architecture>(parse.GetValue(Arch)!, ignoreCase: true),
        },
        Beta = parse.GetValue(Beta),
        WarmupEpochs = parse.GetValue(Warmup),
        SparsityRho = parse.GetValue(Rho),
        SparsityBeta = parse.GetValue(SparsityWeight),
        SparsityL1 = parse.GetValue(L1),
        NoiseSigma = parse.GetValue(Sigma),
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
            Device = device,
        };
        options.Validate();
        return options;
    }
}
