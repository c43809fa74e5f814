using Scratch.Autograd;
using Scratch.Models.Optim;

namespace Scratch.Models.Training;

/// <summary>
/// The optimization recipe of <see cref="TrainOptions"/> made concrete: which optimizer, the
/// learning rate at each moment of training (warm-up, then a step or cosine schedule), and
/// gradient clipping by the global norm. One place, so train, compare, anomaly and a resumed run
/// build the same thing.
/// </summary>
public static class Optimization
{
    /// <summary>The optimizer the options name, over <paramref name="parameters"/>.</summary>
    public static Optimizer CreateOptimizer(TrainOptions o, IEnumerable<Variable> parameters) => o.Optimizer switch
    {
        "adam" => new Adam(parameters, o.LearningRate, weightDecay: o.WeightDecay),
        "adamw" => new AdamW(parameters, o.LearningRate, weightDecay: o.WeightDecay),
        "sgd" => new Sgd(parameters, o.LearningRate, momentum: o.Momentum, weightDecay: o.WeightDecay),
        _ => throw new ArgumentException($"training: unknown optimizer '{o.Optimizer}' (expected {string.Join(", ", TrainOptions.Optimizers)})"),
    };

    /// <summary>
    /// The learning rate after <paramref name="epochs"/> epochs of training (fractional: 2.5 is half
    /// way through the third): linear warm-up over <see cref="TrainOptions.LrWarmup"/> epochs, then
    /// constant, step (× γ every StepSize epochs) or cosine (from lr down to 0 at the last epoch).
    /// </summary>
    public static double LearningRateAt(TrainOptions o, double epochs)
    {
        double lr = o.Schedule switch
        {
            "step" => o.LearningRate * Math.Pow(o.Gamma, Math.Floor(epochs / o.StepSize)),
            "cosine" => o.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, epochs / Math.Max(1, o.Epochs)))),
            _ => o.LearningRate,
        };
        return o.LrWarmup > 0 && epochs < o.LrWarmup ? lr * epochs / o.LrWarmup : lr;
    }

    public static void SetLearningRate(Optimizer optimizer, double lr)
    {
        switch (optimizer)
        {
            case Adam adam: adam.LearningRate = lr; break;
            case Sgd sgd: sgd.LearningRate = lr; break;
            default: throw new NotSupportedException($"training: {optimizer.GetType().Name} has no settable learning rate");
        }
    }

    /// <summary>
    /// torch.nn.utils.clip_grad_norm_: the global L2 norm of all gradients; when above
    /// <paramref name="maxNorm"/>, every gradient is scaled by maxNorm / (norm + 1e-6). Returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Variable> parameters, double maxNorm)
    {
        var withGrad = parameters.Where(p => p.Grad is not null).ToList();
        double sum = 0;
        foreach (var p in withGrad) sum += p.Grad!.Square().Sum().Item();
        double norm = Math.Sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
            foreach (var p in withGrad) p.Grad!.CopyFrom(p.Grad * coefficient); // in place: gradient buffers outlive the step's pool scope
        return norm;
    }
}
