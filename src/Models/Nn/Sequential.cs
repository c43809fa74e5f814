using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>Layers applied in order; parameters are named by position ("0.weight", "2.bias").</summary>
public sealed class Sequential : Layer
{
    private readonly List<Layer> _layers = [];

    public Sequential(params Layer[] layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    public Sequential Add(Layer layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    public IReadOnlyList<Layer> Layers => _layers;

    public override Variable Forward(Variable x)
    {
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }

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
