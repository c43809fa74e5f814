using Scratch.Autograd;
using Scratch.Kernels;

namespace Scratch.Models.Nn;

/// <summary>Layers applied in order, as torch.nn.Sequential; parameters are named by position ("0.weight", "2.bias").</summary>
public sealed class Sequential : Layer
{
    private readonly List<Layer> _layers = [];

    /// <summary>A chain of <paramref name="layers"/>, registered as children "0", "1", … (torch.nn.Sequential).</summary>
    public Sequential(params Layer[] layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends <paramref name="layer"/> as the next child, named by its position.</summary>
    /// <returns>This Sequential, so calls chain.</returns>
    public Sequential Add(Layer layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>The layers in the order Forward applies them.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Applies each layer to the previous one's output; the shapes are whatever the layers map (x: (B, 784) → (B, 20) for Mlp([784, 400, 20])).</summary>
    /// <exception cref="ArgumentException">A layer rejects the shape it is given.</exception>
    public override Variable Forward(Variable x)
    {
        for (int i = 0; i < _layers.Count; i++)
        {
            // A Linear followed by ReLU (or LeakyReLU with slope ≥ 0) runs as one fused op: the
            // activation in the GEMM's epilogue. Same values and gradients, one pass fewer.
            if (_layers[i] is Linear linear && i + 1 < _layers.Count && FusedActivation(_layers[i + 1]) is var (activation, slope))
            {
                x = linear.Forward(x, activation, slope);
                i++;
            }
            else x = _layers[i].Forward(x);
        }
        return x;
    }

    // The activations Linear can fuse, with the slope leaky ReLU needs; null for any other layer.
    private static (GemmActivation Activation, double Slope)? FusedActivation(Layer layer) => layer switch
    {
        ReLU => (GemmActivation.Relu, 0),
        LeakyReLU { NegativeSlope: >= 0 } leaky => (GemmActivation.LeakyRelu, leaky.NegativeSlope),
        _ => null,
    };

    /// <summary>
    /// A multilayer perceptron: Linear layers through <paramref name="sizes"/> (e.g. 784, 400, 20)
    /// with the activation between them and none after the last.
    /// </summary>
    public static Sequential Mlp(IReadOnlyList<int> sizes, Activation activation, Rng rng, DType dtype = DType.Float32)
    {
        if (sizes.Count < 2) throw new ArgumentException($"mlp: needs at least an input and an output size, got {sizes.Count}");
        var net = new Sequential();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            net.Add(new Linear(sizes[i], sizes[i + 1], rng, dtype: dtype));
            if (i + 2 < sizes.Count) net.Add(ActivationLayers.Create(activation));
        }
        return net;
    }
}
