namespace Scratch;

// Batch normalisation's pieces over x: (N, C), (N, C, L) or (N, C, H, W), viewed as (N, C, S). The module
// (Models/Nn/BatchNorm) decides which statistics to use; these ops compute.
public sealed partial class Tensor
{
    /// <summary>Per-channel mean and biased variance over N and the spatial axes → two (C) tensors.</summary>
    /// <exception cref="ArgumentException">x is not 2-, 3- or 4-D.</exception>
    public static (Tensor Mean, Tensor Variance) BatchNormStatistics(Tensor x)
    {
        var (n, c, s) = BatchNormView("batch_norm", x);
        var mean = Empty([c], x.DType, x.Device);
        var variance = Empty([c], x.DType, x.Device);
        x.Backend.BatchNormStatistics(x.Buffer(), n, c, s, mean.Buffer(), variance.Buffer());
        return (mean, variance);
    }

    /// <summary>y = (x − mean[c])·invStd[c]·γ[c] + β[c]; mean, invStd, γ, β: (C); γ and β may be null.</summary>
    /// <exception cref="ArgumentException">x is not 2-, 3- or 4-D, or a per-channel tensor is not (C) or differs in dtype or device.</exception>
    public static Tensor BatchNormApply(Tensor x, Tensor mean, Tensor invStd, Tensor? gamma, Tensor? beta)
    {
        var (n, c, s) = BatchNormView("batch_norm", x);
        CheckChannelVectors(x, c, mean, invStd, gamma, beta);
        var y = Empty(x._shape, x.DType, x.Device);
        x.Backend.BatchNormApply(x.Buffer(), n, c, s, mean.Buffer(), invStd.Buffer(), gamma?.Buffer(), beta?.Buffer(), y.Buffer());
        return y;
    }

    /// <summary>
    /// The gradients of <see cref="BatchNormApply"/>: dx (x's shape), dγ and dβ (C) — the latter two
    /// null unless asked for. training: mean and invStd were computed from x (the batch statistics).
    /// </summary>
    /// <exception cref="ArgumentException">x is not 2-, 3- or 4-D, dy's shape differs from x's, or a per-channel tensor is not (C) or differs in dtype or device.</exception>
    public static (Tensor Dx, Tensor? DGamma, Tensor? DBeta) BatchNormBackward(Tensor x, Tensor dy, Tensor mean, Tensor invStd, Tensor? gamma,
        bool training, bool needGammaBeta)
    {
        var (n, c, s) = BatchNormView("batch_norm backward", x);
        CheckChannelVectors(x, c, mean, invStd, gamma, null);
        if (!Shapes.SameShape(x._shape, dy._shape))
            throw new ArgumentException($"batch_norm backward: output gradient {Shapes.Format(dy._shape)} differs from the input {Shapes.Format(x._shape)}");
        var dx = Empty(x._shape, x.DType, x.Device);
        var dgamma = needGammaBeta ? Empty([c], x.DType, x.Device) : null;
        var dbeta = needGammaBeta ? Empty([c], x.DType, x.Device) : null;
        x.Backend.BatchNormBackward(x.Buffer(), dy.Buffer(), n, c, s, mean.Buffer(), invStd.Buffer(), gamma?.Buffer(), training,
            dx.Buffer(), dgamma?.Buffer(), dbeta?.Buffer());
        return (dx, dgamma, dbeta);
    }

    // (N, C), (N, C, L) or (N, C, H, W) → (N, C, S)
    private static (int N, int C, int S) BatchNormView(string op, Tensor x)
    {
        if (x.Rank < 2 || x.Rank > 4)
            throw new ArgumentException($"{op}: needs an input (N, C), (N, C, L) or (N, C, H, W); got {Shapes.Format(x._shape)}");
        int s = 1;
        for (int d = 2; d < x.Rank; d++) s *= x._shape[d];
        return (x._shape[0], x._shape[1], s);
    }

    private static void CheckChannelVectors(Tensor x, int c, params Tensor?[] vectors)
    {
        foreach (var v in vectors)
        {
            if (v is null) continue;
            CheckSameDTypeAndDevice("batch_norm", x, v);
            if (v.Rank != 1 || v._shape[0] != c)
                throw new ArgumentException($"batch_norm: input {Shapes.Format(x._shape)} has {c} channels but a per-channel tensor has shape {Shapes.Format(v._shape)}");
        }
    }
}
