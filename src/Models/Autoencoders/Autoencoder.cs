using Scratch.Autograd;
using Scratch.Models.Nn;

namespace Scratch.Models.Autoencoders;

/// <summary>
/// The skeleton every variant shares: an encoder MLP to a code, a decoder MLP back to logits over
/// the pixels. A variant says what its code is (<see cref="Encode"/>) and what it minimises
/// (<see cref="ComputeLoss"/>); everything else — reconstruction, metrics, checkpoints — is common.
/// </summary>
public abstract class Autoencoder : Module
{
    /// <summary>The sizes, activation, loss, dtype and architecture it was built with.</summary>
    public AutoencoderConfig Config { get; }
    /// <summary>x: (B, In) → (B, codeWidth): the child "encoder" (its head is 2·Latent wide for a VAE: μ and log σ²).</summary>
    public Sequential Encoder { get; }
    /// <summary>z: (B, Latent) → logits (B, In): the child "decoder".</summary>
    public Sequential Decoder { get; }

    /// <summary>A short name for tables and files: "ae", "sparse", "denoising", "vae", "contractive", "avae".</summary>
    public abstract string Kind { get; }

    /// <summary>Builds the encoder (to <paramref name="codeWidth"/> units), then the decoder, drawing their weights from <paramref name="rng"/> in that order.</summary>
    /// <exception cref="ArgumentException">The config is invalid (see <see cref="AutoencoderConfig.Validate"/>).</exception>
    protected Autoencoder(AutoencoderConfig config, Rng rng, int codeWidth)
    {
        config.Validate();
        Config = config;
        // Encoder first, then decoder: the order in which parameters draw from the RNG.
        Encoder = RegisterModule("encoder", config.Architecture == Architecture.Conv
            ? ConvNetworks.Encoder(config.Stages(), codeWidth, rng, config.DType)
            : Sequential.Mlp(config.EncoderSizes(codeWidth), config.Activation, rng, config.DType));
        Decoder = RegisterModule("decoder", config.Architecture == Architecture.Conv
            ? ConvNetworks.Decoder(config.Stages(), config.LatentSize, rng, config.DType)
            : Sequential.Mlp(config.DecoderSizes(), config.Activation, rng, config.DType));
    }

    /// <summary>
    /// True for variants whose code is a sigmoid. Started from random output biases, their first
    /// gradients all say "move towards the average digit", the same for every image; Adam turns
    /// that common push into large steps on the code layer (its inputs, ReLU features, are all
    /// non-negative), the code saturates at 0 or 1 and never recovers. Starting the decoder at the
    /// average digit (<see cref="StartAtMean"/>) removes the common push.
    /// </summary>
    public virtual bool HasSaturatingCode => false;

    /// <summary>Sets the decoder's output bias to the logit of the mean image, so the untrained model outputs the average digit.</summary>
    /// <param name="meanImage">In values in [0, 1]: the training images' mean, e.g. <see cref="Data.ImageSet.MeanImage"/>.</param>
    /// <exception cref="ArgumentException">The mean image does not have In pixels.</exception>
    /// <exception cref="InvalidOperationException">The decoder does not end in a Linear with a bias (the conv architecture).</exception>
    public void StartAtMean(ReadOnlySpan<double> meanImage)
    {
        int pixels = Config.InputSize;
        if (meanImage.Length != pixels)
            throw new ArgumentException($"start at mean: a mean image of {meanImage.Length} values, not {pixels}");
        var bias = new double[pixels];
        for (int j = 0; j < pixels; j++)
        {
            double m = Math.Clamp(meanImage[j], 1e-3, 1 - 1e-3);   // all-black corners would give logit −∞
            bias[j] = Config.Loss == Autoencoders.ReconstructionLoss.LinearMse ? meanImage[j] : Math.Log(m / (1 - m));
        }
        var outputBias = (Decoder.Layers[^1] as Nn.Linear
                ?? throw new InvalidOperationException($"start at mean: needs a dense output layer with a bias per pixel; the {Config.Describe()} decoder ends in {Decoder.Layers[^1]}"))
            .Bias ?? throw new InvalidOperationException("start at mean: the decoder's output layer has no bias");
        outputBias.Data.CopyFrom(Tensor.FromArray(bias, pixels).To(outputBias.DType).To(outputBias.Device));
    }

    /// <summary>The code of a batch. x: (B, In) → z: (B, Latent).</summary>
    public abstract Variable Encode(Variable x);

    /// <summary>Logits over the pixels. z: (B, Latent) → (B, In).</summary>
    public Variable Decode(Variable z) => Decoder.Forward(z);

    /// <summary>The training objective on one batch of clean images x: (B, In).</summary>
    public abstract LossReport ComputeLoss(Tensor x, TrainingContext context);

    /// <summary>Reconstructed pixels (no graph is recorded). x: (B, In) → (B, In), in [0, 1] unless the loss is LinearMse.</summary>
    public virtual Tensor Reconstruct(Tensor x)
    {
        using (NoGrad.Scope())
        using (EvalScope())
            return ToPixels(Decode(Encode(x)).Data);
    }

    /// <summary>
    /// What training updates, and so what an optimizer is built over: every parameter, unless a
    /// variant keeps part of itself fixed (the AVAE's post-processing keeps its decoder).
    /// </summary>
    public virtual IEnumerable<Variable> TrainableParameters() => Parameters();

    /// <summary>Eval mode until disposed, then the mode before (BatchNorm must not learn from test images).</summary>
    protected IDisposable EvalScope() => EvalScope(this);

    /// <summary>Eval mode for <paramref name="part"/> (e.g. the decoder alone) until disposed, then its mode before.</summary>
    protected static IDisposable EvalScope(Module part)
    {
        bool wasTraining = part.IsTraining;
        part.Eval();
        return new RestoreMode(part, wasTraining);
    }

    private sealed class RestoreMode(Module module, bool training) : IDisposable
    {
        public void Dispose() => module.Train(training);
    }

    /// <summary>Decoder output → pixels: sigmoid of the logits, or the raw output of a linear decoder.</summary>
    protected Tensor ToPixels(Tensor output) =>
        Config.Loss == Autoencoders.ReconstructionLoss.LinearMse ? output : output.Sigmoid();

    /// <summary>The reconstruction term per sample: BCE on logits, or squared error of sigmoid(logits).</summary>
    protected Variable ReconstructionLoss(Variable logits, Tensor target)
    {
        int batch = target.Size(0);
        var sum = Config.Loss switch
        {
            Autoencoders.ReconstructionLoss.Bce => Losses.BceWithLogits(logits, target, Reduction.Sum),
            Autoencoders.ReconstructionLoss.Mse => Losses.Mse(logits.Sigmoid(), target, Reduction.Sum),
            _ => Losses.Mse(logits, target, Reduction.Sum),
        };
        return sum / batch;
    }
}
