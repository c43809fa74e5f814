using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>torch.nn.ReLU: max(0, x) elementwise, any shape. After a <see cref="Linear"/> in a <see cref="Sequential"/> it runs fused into the GEMM.</summary>
public sealed class ReLU : Layer
{
    /// <summary>max(0, x), same shape as x.</summary>
    public override Variable Forward(Variable x) => x.Relu();
}

/// <summary>torch.nn.Sigmoid: 1/(1 + e^−x) elementwise, any shape; squashes to (0, 1), e.g. a decoder's pixel output.</summary>
public sealed class Sigmoid : Layer
{
    /// <summary>σ(x), same shape as x.</summary>
    public override Variable Forward(Variable x) => x.Sigmoid();
}

/// <summary>torch.nn.Tanh: tanh(x) elementwise, any shape; squashes to (−1, 1), e.g. the DCGAN generator's output.</summary>
public sealed class Tanh : Layer
{
    /// <summary>tanh(x), same shape as x.</summary>
    public override Variable Forward(Variable x) => x.Tanh();
}

/// <summary>The activation between hidden layers, by name ("relu", "sigmoid", "tanh").</summary>
public enum Activation
{
    /// <summary><see cref="ReLU"/>.</summary>
    Relu,
    /// <summary><see cref="Nn.Sigmoid"/>.</summary>
    Sigmoid,
    /// <summary><see cref="Nn.Tanh"/>.</summary>
    Tanh,
}

/// <summary>Turns an <see cref="Activation"/> setting into its layer.</summary>
public static class ActivationLayers
{
    /// <summary>A new <see cref="ReLU"/>, <see cref="Nn.Sigmoid"/> or <see cref="Nn.Tanh"/> for <paramref name="activation"/> (any other value gives Tanh).</summary>
    public static Layer Create(Activation activation) => activation switch
    {
        Activation.Relu => new ReLU(),
        Activation.Sigmoid => new Sigmoid(),
        _ => new Tanh(),
    };
}
