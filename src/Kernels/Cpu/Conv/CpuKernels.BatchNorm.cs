using System.Numerics;

namespace Scratch.Kernels.Cpu;

// Batch normalisation over x viewed as (N, C, S): S = H·W for BatchNorm2d, 1 for BatchNorm1d.
// Each channel c is normalised over its M = N·S values. Plain loops, their own reference (tests
// hold them to the formula composed from tensor ops); sums are accumulated in double so float32
// statistics over large batches do not drift.
public static partial class CpuKernels
{
    // x: (N, C, S) → mean: (C), variance: (C), the biased variance Σ(x − mean)²/M (two passes: no cancellation).
    public static void BatchNormStatistics<T>(ReadOnlySpan<T> x, int n, int c, int s, Span<T> mean, Span<T> variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatchNorm("batch_norm statistics", x.Length, n, c, s, mean.Length, variance.Length);
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
                foreach (var v in x.Slice((b * c + ch) * s, s)) sum += double.CreateTruncating(v);
            double mu = sum / m, squares = 0;
            for (int b = 0; b < n; b++)
                foreach (var v in x.Slice((b * c + ch) * s, s))
                {
                    double d = double.CreateTruncating(v) - mu;
                    squares += d * d;
                }
            mean[ch] = T.CreateTruncating(mu);
            variance[ch] = T.CreateTruncating(squares / m);
        }
    }

    // y = (x − mean[c])·invStd[c]·γ[c] + β[c]; γ, β empty when the layer is not affine.
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
            var src = x.Slice((b * c + ch) * s, s);
            var dst = y.Slice((b * c + ch) * s, s);
            for (int k = 0; k < s; k++) dst[k] = src[k] * scale + shift;
        }
    }

    // Backward of BatchNormApply, x̂ = (x − mean)·invStd:
    //   dγ = Σ dy·x̂, dβ = Σ dy (sums over N and S);
    //   training (mean and invStd are functions of x): dx = γ·invStd·(dy − dβ/M − x̂·dγ/M);
    //   eval (running statistics, constants):          dx = γ·invStd·dy.
    // dgamma and dbeta may be empty (not affine, or not needed); dx is overwritten.
    public static void BatchNormBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int n, int c, int s, ReadOnlySpan<T> mean,
        ReadOnlySpan<T> invStd, ReadOnlySpan<T> gamma, bool training, Span<T> dx, Span<T> dgamma, Span<T> dbeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatchNorm("batch_norm backward", x.Length, n, c, s, mean.Length, invStd.Length);
        CheckAtLeast("batch_norm backward", (long)n * c * s, dy.Length, "output gradient");
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double mu = double.CreateTruncating(mean[ch]), inv = double.CreateTruncating(invStd[ch]);
            double sumDy = 0, sumDyXhat = 0;
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * s;
                for (int k = 0; k < s; k++)
                {
                    double g = double.CreateTruncating(dy[at + k]);
                    sumDy += g;
                    sumDyXhat += g * (double.CreateTruncating(x[at + k]) - mu) * inv;
                }
            }
            if (!dgamma.IsEmpty) dgamma[ch] = T.CreateTruncating(sumDyXhat);
            if (!dbeta.IsEmpty) dbeta[ch] = T.CreateTruncating(sumDy);
            if (dx.IsEmpty) continue;
            double scale = (gamma.IsEmpty ? 1.0 : double.CreateTruncating(gamma[ch])) * inv;
            double meanDy = training ? sumDy / m : 0, meanDyXhat = training ? sumDyXhat / m : 0;
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * s;
                for (int k = 0; k < s; k++)
                {
                    double xhat = (double.CreateTruncating(x[at + k]) - mu) * inv;
                    dx[at + k] = T.CreateTruncating(scale * (double.CreateTruncating(dy[at + k]) - meanDy - xhat * meanDyXhat));
                }
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
