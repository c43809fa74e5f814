using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scratch.TorchReference;

/// <summary>
/// optimizers.json: five steps of SGD, Adam and AdamW on one parameter with fixed gradients,
/// so the Scratch optimizers can be checked step by step (momentum buffers, bias correction,
/// L2 weight decay versus decoupled weight decay).
/// </summary>
internal static class OptimizerGolden
{
    public const string FileName = "optimizers.json";
    public const int Steps = 5;

    private const string Description =
        "Optimizer trajectories in float64, computed by TorchSharp 0.107 (libtorch 2.10). " +
        "Parameter p (3,4), flat row-major index k: p0[k] = sin(0.5*k + 0.1). " +
        "Gradient at step t = 1..5: g_t[k] = cos(0.3*k + t) + 0.1*t, set as p.grad before each step. " +
        "'<optimizer>.step<t>' is p after step t, starting every optimizer from p0. Optimizers (PyTorch semantics): " +
        "sgd_momentum = SGD(lr 0.1, momentum 0.9, dampening 0, weight_decay 0.01, nesterov false); " +
        "sgd = SGD(lr 0.1, momentum 0, weight_decay 0); " +
        "adam = Adam(lr 0.1, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false); " +
        "adam_wd = Adam(lr 0.1, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01) (L2: wd*p added to the gradient); " +
        "adamw = AdamW(lr 0.1, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01) (decoupled: p *= 1 - lr*wd). " +
        "Hyperparameters are repeated in 'scalars' as '<optimizer>.<name>'.";

    private sealed record Setup(string Name, Func<Parameter, optim.Optimizer> Create, (string, double)[] Hyper);

    private static readonly Setup[] Setups =
    [
        new("sgd_momentum", p => optim.SGD([p], learningRate: 0.1, momentum: 0.9, weight_decay: 0.01),
            [("lr", 0.1), ("momentum", 0.9), ("dampening", 0), ("weight_decay", 0.01)]),
        new("sgd", p => optim.SGD([p], learningRate: 0.1),
            [("lr", 0.1), ("momentum", 0), ("weight_decay", 0)]),
        new("adam", p => optim.Adam([p], lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0),
            [("lr", 0.1), ("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8), ("weight_decay", 0)]),
        new("adam_wd", p => optim.Adam([p], lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01),
            [("lr", 0.1), ("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8), ("weight_decay", 0.01)]),
        new("adamw", p => optim.AdamW([p], lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01),
            [("lr", 0.1), ("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8), ("weight_decay", 0.01)]),
    ];

    public static Tensor InitialParameter() => Formula.Matrix(3, 4, (i, j) => Math.Sin(0.5 * (i * 4 + j) + 0.1));

    public static Tensor Gradient(int step) => Formula.Matrix(3, 4, (i, j) => Math.Cos(0.3 * (i * 4 + j) + step) + 0.1 * step);

    public static GoldenFile Build()
    {
        var golden = new GoldenFile(Description);
        golden.Add("p0", InitialParameter());
        for (int t = 1; t <= Steps; t++) golden.Add($"g{t}", Gradient(t));

        foreach (var setup in Setups)
        {
            var p = new Parameter(InitialParameter());
            var optimizer = setup.Create(p);
            for (int t = 1; t <= Steps; t++)
            {
                // p.grad = g_t, exactly: the gradient of sum(p ⊙ g_t) with respect to p is g_t.
                optimizer.zero_grad();
                (p * Gradient(t)).sum().backward();
                optimizer.step();
                golden.Add($"{setup.Name}.step{t}", p.detach().clone());
            }
            foreach (var (name, value) in setup.Hyper) golden.AddScalar($"{setup.Name}.{name}", value);
        }
        return golden;
    }
}
