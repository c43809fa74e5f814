using Scratch.Autograd;
using ConvStages = Scratch.Models.Nn.ConvStages;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scratch.Benchmarks.Torch;

using Tensor = TorchSharp.torch.Tensor;
using Layer = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

/// <summary>
/// The torch.nn layers of Scratch's <see cref="ConvStages"/> rule, so the TorchSharp twins are sized
/// by the very object that sizes Scratch's networks and cannot drift from them: stage s is
/// Conv2d(c_{s−1}, c_s, 4, stride 2, padding 1), and its undoing ConvTranspose2d(c_s, c_{s−1}, 4,
/// stride 2, padding 1) with the stage's output padding (1 on a side the encoder rounded down).
/// </summary>
public static class TorchStages
{
    /// <summary>The encoder's stage <paramref name="stage"/>: (B, c_{s−1}, h_{s−1}, w_{s−1}) → (B, c_s, h_s, w_s).</summary>
    public static Conv2d Down(ConvStages stages, int stage, bool bias = true) =>
        nn.Conv2d(stages.Channels(stage - 1), stages.Channels(stage), ConvStages.Kernel,
            stride: ConvStages.Stride, padding: ConvStages.Padding, bias: bias);

    /// <summary>The layer that undoes stage <paramref name="stage"/>: (B, c_s, h_s, w_s) → (B, c_{s−1}, h_{s−1}, w_{s−1}).</summary>
    public static ConvTranspose2d Up(ConvStages stages, int stage, bool bias = true)
    {
        var pad = stages.OutputPadding(stage);
        const int k = ConvStages.Kernel, s = ConvStages.Stride, p = ConvStages.Padding;
        return nn.ConvTranspose2d(stages.Channels(stage), stages.Channels(stage - 1), (k, k), stride: (s, s), padding: (p, p),
            output_padding: (pad.H, pad.W), bias: bias);
    }

    /// <summary>
    /// The layers in order, as nn.Sequential's forward but with every ConvTranspose2d run as
    /// F.conv_transpose2d with the module's own weight, bias and full output padding: TorchSharp
    /// 0.107's ConvTranspose2d.forward passes only output_padding[0], which libtorch repeats for
    /// both sides, so (1, 0) would add a column that torch.nn (and Scratch) do not
    /// (tools/TorchReference/ConvRgbGolden.cs). On square paddings both give the same.
    /// </summary>
    public static Tensor Forward(IEnumerable<Layer> layers, Tensor x)
    {
        foreach (var layer in layers)
            x = layer is ConvTranspose2d t
                ? F.conv_transpose2d(x, t.weight, t.bias, t.stride, t.padding, t.output_padding, t.dilation, t.groups)
                : layer.forward(x);
        return x;
    }

    /// <summary>Copies Scratch's parameters into torch's, in registration order, shape by shape (float32 or float64, whichever each side holds).</summary>
    /// <exception cref="InvalidOperationException">The counts or a shape differ: the twin is not the Scratch network.</exception>
    public static void CopyParameters(string who, IReadOnlyList<Parameter> target, IReadOnlyList<Variable> source)
    {
        if (source.Count != target.Count)
            throw new InvalidOperationException($"{who}: {target.Count} torch parameters, {source.Count} Scratch ones");
        using (no_grad())
            for (int i = 0; i < source.Count; i++)
            {
                var data = source[i].Data;
                long[] shape = [.. data.ShapeArray.Select(d => (long)d)];
                using var values = data.DType == Scratch.DType.Float64
                    ? tensor(data.ToArray<double>(), shape, float64)
                    : TorchRuntime.FromArray(data.ToArray<float>(), shape);
                if (!values.shape.SequenceEqual(target[i].shape))
                    throw new InvalidOperationException($"{who}: parameter {i} is [{string.Join(", ", target[i].shape)}] in torch, [{string.Join(", ", values.shape)}] in Scratch");
                target[i].copy_(values);
            }
    }
}
