using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;
using Scratch.Models.Training;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// An autoencoder's recipe as JSON, both ways: the <see cref="ModelSpec"/> that rebuilds the model
/// and the <see cref="TrainOptions"/> that continue its training — the "recipe" of its
/// <see cref="TrainingState"/>. The reader trusts nothing: every field is checked, and a bad one
/// is refused naming the file and the field.
/// </summary>
public static class AutoencoderRecipe
{
    /// <summary>The model's settings.</summary>
    public static JsonObject Spec(ModelSpec spec)
    {
        var o = SpecFields(spec);
        // Written when the model knows its images' shape: [C, H, W].
        if (spec.Config.Image is { } image) o["image"] = new JsonArray(image.Channels, image.Height, image.Width);
        // Written for the conv architecture: its first stage's channels.
        if (spec.Config.Architecture == Architecture.Conv) o["convWidth"] = spec.Config.ConvWidth;
        return o;
    }

    private static JsonObject SpecFields(ModelSpec spec) => new()
    {
        ["kind"] = spec.Kind,
        ["input"] = spec.Config.InputSize,
        ["hidden"] = new JsonArray(spec.Config.HiddenSizes.Select(h => (JsonNode?)h).ToArray()),
        ["latent"] = spec.Config.LatentSize,
        ["activation"] = spec.Config.Activation.ToString().ToLowerInvariant(),
        ["loss"] = spec.Config.Loss.ToString().ToLowerInvariant(),
        ["dtype"] = spec.Config.DType.Name(),
        ["arch"] = spec.Config.Architecture.ToString().ToLowerInvariant(),
        ["beta"] = spec.Beta,
        ["warmupEpochs"] = spec.WarmupEpochs,
        ["sparsityRho"] = spec.SparsityRho,
        ["sparsityBeta"] = spec.SparsityBeta,
        ["sparsityL1"] = spec.SparsityL1,
        ["noiseSigma"] = spec.NoiseSigma,
        ["noiseClip"] = spec.NoiseClip,
        ["maskFraction"] = spec.MaskFraction,
        ["contractiveLambda"] = spec.ContractiveLambda,
        ["rho"] = spec.Rho,
        ["postProcessing"] = spec.PostProcessing,
    };

    /// <summary>The training recipe; the seed as a decimal string.</summary>
    public static JsonObject Options(TrainOptions o) => new()
    {
        ["epochs"] = o.Epochs,
        ["batch"] = o.BatchSize,
        ["learningRate"] = o.LearningRate,
        ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        ["trainLimit"] = o.TrainLimit,
        ["testLimit"] = o.TestLimit,
        ["optimizer"] = o.Optimizer,
        ["momentum"] = o.Momentum,
        ["weightDecay"] = o.WeightDecay,
        ["schedule"] = o.Schedule,
        ["stepSize"] = o.StepSize,
        ["gamma"] = o.Gamma,
        ["lrWarmup"] = o.LrWarmup,
        ["patience"] = o.Patience,
        ["validationFraction"] = o.ValidationFraction,
        ["clipNorm"] = o.ClipNorm,
    };

    /// <summary>Reads <see cref="Spec"/>'s object.</summary>
    public static ModelSpec ReadSpec(MetadataReader read, JsonObject o)
    {
        const string w = "recipe.model";
        var hidden = read.Array(o, "hidden", w).Select((n, i) => read.Int(n, $"{w}.hidden[{i}]")).ToArray();
        var dtypeName = read.String(o, "dtype", w);
        DType dtype = dtypeName switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            _ => throw read.Fail($"metadata field '{w}.dtype' is '{dtypeName}', expected float32 or float64"),
        };
        return new ModelSpec
        {
            Kind = read.String(o, "kind", w),
            Config = new AutoencoderConfig
            {
                InputSize = read.Int(o, "input", w),
                HiddenSizes = hidden,
                LatentSize = read.Int(o, "latent", w),
                Activation = read.Enum<Activation>(o, "activation", w),
                Loss = read.Enum<ReconstructionLoss>(o, "loss", w),
                DType = dtype,
                // Written since the conv architecture exists; older checkpoints are MLPs.
                Architecture = o.ContainsKey("arch") ? read.Enum<Architecture>(o, "arch", w) : Architecture.Mlp,
                Image = o.ContainsKey("image") ? ReadImage(read, o, w) : null,
                // Absent from files written before the width was an option: those had 32.
                ConvWidth = o.ContainsKey("convWidth") ? read.Int(o, "convWidth", w) : ConvNetworks.DefaultWidth,
            },
            Beta = read.Double(o, "beta", w),
            WarmupEpochs = read.Double(o, "warmupEpochs", w),
            SparsityRho = read.Double(o, "sparsityRho", w),
            SparsityBeta = read.Double(o, "sparsityBeta", w),
            SparsityL1 = read.Double(o, "sparsityL1", w),
            NoiseSigma = read.Double(o, "noiseSigma", w),
            // Absent from files written before unclipped noise existed: those always clipped.
            NoiseClip = !o.ContainsKey("noiseClip") || read.Bool(o, "noiseClip", w),
            MaskFraction = read.Double(o, "maskFraction", w),
            ContractiveLambda = read.Double(o, "contractiveLambda", w),
            // Absent from files written before the AVAE existed: those hold no AVAE.
            Rho = o.ContainsKey("rho") ? read.Double(o, "rho", w) : AutoencodingVae.DefaultRho,
            PostProcessing = o.ContainsKey("postProcessing") && read.Bool(o, "postProcessing", w),
        };
    }

    // "image": [C, H, W], C 1 or 3, H and W positive, and as many values as the input.
    private static Data.ImageShape ReadImage(MetadataReader read, JsonObject o, string w)
    {
        var dims = read.Array(o, "image", w).Select((n, i) => read.Int(n, $"{w}.image[{i}]")).ToArray();
        if (dims is not [1 or 3, > 0, > 0])
            throw read.Fail($"metadata field '{w}.image' is [{string.Join(", ", dims)}], not [C, H, W] with C 1 or 3 and positive sides");
        var image = new Data.ImageShape(dims[0], dims[1], dims[2]);
        if (image.Pixels != read.Int(o, "input", w))
            throw read.Fail($"metadata field '{w}.image' is {image} ({image.Pixels} values) but '{w}.input' is {read.Int(o, "input", w)}");
        return image;
    }

    /// <summary>Reads <see cref="Options"/>' object.</summary>
    public static TrainOptions ReadOptions(MetadataReader read, JsonObject o)
    {
        const string w = "recipe.training";
        var options = new TrainOptions
        {
            Epochs = read.Int(o, "epochs", w),
            BatchSize = read.Int(o, "batch", w),
            LearningRate = read.Double(o, "learningRate", w),
            Seed = read.U64(o, "seed", w),
            TrainLimit = read.Int(o, "trainLimit", w),
            TestLimit = read.Int(o, "testLimit", w),
        };
        // The optimization fields came later: a file without them was trained with Adam, constant lr.
        if (o.ContainsKey("optimizer"))
            options = options with
            {
                Optimizer = read.String(o, "optimizer", w),
                Momentum = read.Double(o, "momentum", w),
                WeightDecay = read.Double(o, "weightDecay", w),
                Schedule = read.String(o, "schedule", w),
                StepSize = read.Int(o, "stepSize", w),
                Gamma = read.Double(o, "gamma", w),
                LrWarmup = read.Double(o, "lrWarmup", w),
                Patience = read.Int(o, "patience", w),
                // Written since early stopping watches a validation split; before, the test split.
                ValidationFraction = o.ContainsKey("validationFraction") ? read.Double(o, "validationFraction", w) : 0.1,
                ClipNorm = read.Double(o, "clipNorm", w),
            };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw read.Fail($"metadata field '{w}' is not a valid recipe: {e.Message}");
        }
        return options;
    }
}
