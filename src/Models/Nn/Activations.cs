using Scratch.Autograd;

namespace Scratch.Models.Nn;

public sealed class ReLU : Layer
{
    public override Variable Forward(Variable x) => x.Relu();
}

public sealed class Sigmoid : Layer
{
    public override Variable Forward(Variable x) => x.Sigmoid();
}

public sealed class Tanh : Layer
{
    public override Variable Forward(Variable x) => x.Tanh();
}

/// <summary>The activation between hidden layers, by name ("relu", "sigmoid", "tanh").</summary>
public enum Activation
{
    Relu,
    Sigmoid,
    Tanh,
}

public static class ActivationLayers
{
    public static Layer Create(Activation activation) => activation switch
    {
        Activation.Relu => new ReLU(),
        Activation.Sigmoid => new Sigmoid(),
        _ => new Tanh(),
    };
}
