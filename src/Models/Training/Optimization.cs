using Scratch.Autograd;
using Scratch.Models.Optim;

namespace Scratch.Models.Training;

/// <summary>
/// The optimization recipe of <see cref="TrainOptions"/> made concrete: which optimizer, which
/// learning-rate scheduler (warm-up, then a step or cosine schedule), and gradient clipping by the
/// global norm. One place, so train, compare, anomaly and a resumed run
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
    /// The schedule the options name, over <paramref name="optimizer"/>'s rate: constant, step
    /// (× γ every StepSize epochs) or cosine (to 0 at the last of <see cref="TrainOptions.Epochs"/>),
    /// behind a linear warm-up over <see cref="TrainOptions.LrWarmup"/> epochs when that is above 0.
    /// </summary>
    /// <remarks>
    /// <see cref="Trainer"/> adds a scheduler to its loop only when the recipe has one (<see cref="HasSchedule"/>),
    /// so a caller that sets the rate by hand under a constant recipe is not overruled every step.
    /// </remarks>
    public static LrScheduler CreateScheduler(TrainOptions o, Optimizer optimizer)
    {
        LrScheduler schedule = o.Schedule switch
        {
            "step" => new StepLR(optimizer, o.StepSize, o.Gamma),
            "cosine" => new CosineAnnealingLR(optimizer, Math.Max(1, o.Epochs)),
            "constant" => new ConstantLR(optimizer),
            _ => throw new ArgumentException($"training: unknown schedule '{o.Schedule}' (expected {string.Join(", ", TrainOptions.Schedules)})"),
        };
        return o.LrWarmup > 0 ? new LinearWarmup(schedule, o.LrWarmup) : schedule;
    }

    /// <summary>True when the options name a schedule other than a constant rate (a step or cosine schedule, or a warm-up).</summary>
    public static bool HasSchedule(TrainOptions o) => o.Schedule != "constant" || o.LrWarmup > 0;

    /// <summary>
    /// torch.nn.utils.clip_grad_norm_: the global L2 norm of all gradients; when above
    /// <paramref name="maxNorm"/>, every gradient is scaled by maxNorm / (norm + 1e-6). Returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Variable> parameters, double maxNorm)
    {
        var withGrad = parameters.Where(p => p.Grad is not null).ToList();
        // Each tensor's sum of squares stays on the device; all of them come back in one read.
        var squares = Scalars.ReadTogether(withGrad.Select(p => p.Grad!.Square().Sum()).ToArray());
        double sum = 0;
        foreach (var square in squares) sum += square;
        double norm = Math.Sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
            foreach (var p in withGrad) p.Grad!.CopyFrom(p.Grad * coefficient); // in place: gradient buffers outlive the step's pool scope
        return norm;
    }
}
