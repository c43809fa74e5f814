using System.Numerics;

namespace Scratch.Kernels.Cpu;

// Batch normalisation over x viewed as (N, C, S): S = H·W for BatchNorm2d, 1 for BatchNorm1d.
// Each channel c is normalised over its M = N·S values. Vector loops per plane (BatchNormLoops), their
// own reference (tests hold them to the formula composed from tensor ops, and float to double); each
// plane's sum is added in double so float32 statistics over large batches do not drift.
public static partial class CpuKernels
{
    /// <summary>
    /// x: (N, C, S) → mean: (C), variance: (C), each over the M = N·S values of a channel; the biased
    /// variance Σ(x − mean)²/M, in two passes (no cancellation), summed in double. M = 0 gives NaN. Throws <see cref="ArgumentException"/> for negative sizes, x shorter than N·C·S, or mean and the other statistics not of length C.
    /// </summary>
    public static void BatchNormStatistics<T>(ReadOnlySpan<T> x, int n, int c, int s, Span<T> mean, Span<T> variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatchNorm("batch_norm statistics", x.Length, n, c, s, mean.Length, variance.Length);
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += double.CreateTruncating(BatchNormLoops.Sum(x.Slice((b * c + ch) * s, s)));
            double mu = sum / m, squares = 0;
            // Deviations from mu rounded to T: for float the pass is float-wide, each plane's sum then added in double.
            T muT = T.CreateTruncating(mu);
            for (int b = 0; b < n; b++) squares += double.CreateTruncating(BatchNormLoops.SquaredDeviations(x.Slice((b * c + ch) * s, s), muT));
            mean[ch] = muT;
            variance[ch] = T.CreateTruncating(squares / m);
        }
    }

    /// <summary>
    /// x: (N, C, S), mean, invStd: (C), gamma, beta: (C) or empty (not affine) → y: (N, C, S),
    /// y = (x − mean[c])·invStd[c]·gamma[c] + beta[c]; y may be x. Throws <see cref="ArgumentException"/> for negative sizes, x shorter than N·C·S, or mean and the other statistics not of length C. y must hold N·C·S elements.
    /// </summary>
    public static void BatchNormApply<T>(ReadOnlySpan<T> x, int n, int c, int s, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatchNorm("batch_norm", x.Length, n, c, s, mean.Length, invStd.Length);
        CheckAtLeast("batch_norm", (long)n * c * s, y.Length, "output");
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        {
            T scale = invStd[ch] * (gamma.IsEmpty ? T.One : gamma[ch]);
            T shift = (beta.IsEmpty ? T.Zero : beta[ch]) - mean[ch] * scale;
            BatchNormLoops.Affine(x.Slice((b * c + ch) * s, s), scale, shift, y.Slice((b * c + ch) * s, s));
        }
    }

    /// <summary>
    /// The backward of <see cref="BatchNormApply{T}"/>. x, dy: (N, C, S), mean, invStd: (C), gamma: (C) or
    /// empty → dx: (N, C, S), dgamma, dbeta: (C), each overwritten and each may be empty (not needed).
    /// With x̂ = (x − mean)·invStd and sums over N and S: dgamma = Σ dy·x̂, dbeta = Σ dy;
    /// training (mean and invStd were computed from x): dx = gamma·invStd·(dy − dbeta/M − x̂·dgamma/M);
    /// otherwise (running statistics, constants): dx = gamma·invStd·dy. Throws <see cref="ArgumentException"/> for negative sizes, x shorter than N·C·S, or mean and the other statistics not of length C.
    /// </summary>
    // Two passes over x and dy: the sums, then dx = a·dy + b·(x − mean) + c with a, b, c per channel
    // (a = γ·invStd, b = −a·invStd·dγ/M, c = −a·dβ/M).
    public static void BatchNormBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int n, int c, int s, ReadOnlySpan<T> mean,
        ReadOnlySpan<T> invStd, ReadOnlySpan<T> gamma, bool training, Span<T> dx, Span<T> dgamma, Span<T> dbeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatchNorm("batch_norm backward", x.Length, n, c, s, mean.Length, invStd.Length);
        CheckAtLeast("batch_norm backward", (long)n * c * s, dy.Length, "output gradient");
        if (!dx.IsEmpty) CheckAtLeast("batch_norm backward", (long)n * c * s, dx.Length, "input gradient");
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double inv = double.CreateTruncating(invStd[ch]);
            double sumDy = 0, sumDyDeviation = 0;
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * s;
                var (planeDy, planeDyDeviation) = BatchNormLoops.GradientSums(x.Slice(at, s), dy.Slice(at, s), mean[ch]);
                sumDy += double.CreateTruncating(planeDy);
                sumDyDeviation += double.CreateTruncating(planeDyDeviation);
            }
            double sumDyXhat = sumDyDeviation * inv;
            if (!dgamma.IsEmpty) dgamma[ch] = T.CreateTruncating(sumDyXhat);
            if (!dbeta.IsEmpty) dbeta[ch] = T.CreateTruncating(sumDy);
            if (dx.IsEmpty) continue;
            double a = (gamma.IsEmpty ? 1.0 : double.CreateTruncating(gamma[ch])) * inv;
            double meanDy = training ? sumDy / m : 0, meanDyXhat = training ? sumDyXhat / m : 0;
            T ta = T.CreateTruncating(a), tb = T.CreateTruncating(-a * inv * meanDyXhat), tc = T.CreateTruncating(-a * meanDy);
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * s;
                BatchNormLoops.InputGradient(x.Slice(at, s), dy.Slice(at, s), mean[ch], ta, tb, tc, dx.Slice(at, s));
            }
        }
    }

    private static void CheckBatchNorm(string op, int xLength, int n, int c, int s, int meanLength, int otherLength)
    {
        if (n < 0 || c < 0 || s < 0) throw new ArgumentException($"{op}: invalid sizes (N {n}, C {c}, S {s})");
        CheckAtLeast(op, (long)n * c * s, xLength, "input");
        CheckSameLength(op, c, meanLength, "mean");
        CheckSameLength(op, c, otherLength, "statistics");
    }
}
