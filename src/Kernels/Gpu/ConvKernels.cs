using ILGPU;
using ILGPU.Algorithms;

namespace Scratch.Kernels.Gpu;

/// <summary>The geometry of a convolution or pooling window as plain fields a kernel can read.</summary>
internal struct ConvGeometry
{
    public int N, C, H, W, O, KH, KW, SH, SW, PH, PW, DH, DW, OH, OW;

    public static ConvGeometry Of(Conv2dShape s) => new()
    {
        N = s.Batch, C = s.InChannels, H = s.Height, W = s.Width, O = s.OutChannels, KH = s.KernelH, KW = s.KernelW,
        SH = s.StrideH, SW = s.StrideW, PH = s.PadH, PW = s.PadW, DH = s.DilationH, DW = s.DilationW, OH = s.OutHeight, OW = s.OutWidth,
    };

    public static ConvGeometry Of(Pool2dShape s) => new()
    {
        N = s.Batch, C = s.Channels, H = s.Height, W = s.Width, O = s.Channels, KH = s.KernelH, KW = s.KernelW,
        SH = s.StrideH, SW = s.StrideW, PH = s.PadH, PW = s.PadW, DH = 1, DW = 1, OH = s.OutHeight, OW = s.OutWidth,
    };
}

/// <summary>
/// Direct convolution, pooling and batch-norm kernels for the GPU: one thread per element of the
/// result, each summing the definition's terms in a fixed order — no atomics, so results are
/// deterministic. The gradients are written as gathers (each input or weight element finds the
/// outputs it touched) rather than scatters. Simple rather than fast: the CPU reference
/// (Cpu/Conv/Reference.Conv.cs) is the same sum.
/// </summary>
internal static class ConvKernels
{
    // y[n,o,i,j] = b[o] + Σ_{c,p,q} x[n,c,i·s−pad+p·d, j·s−pad+q·d]·w[o,c,p,q]; hasBias 0 ignores b.
    public static void Forward(Index1D index, ArrayView<float> x, ArrayView<float> w, ArrayView<float> b, int hasBias, ArrayView<float> y, ConvGeometry g)
    {
        int k = index;
        int j = k % g.OW, i = k / g.OW % g.OH, o = k / (g.OW * g.OH) % g.O, n = k / (g.OW * g.OH * g.O);
        float sum = hasBias != 0 ? b[o] : 0f;
        for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
            {
                int r = i * g.SH - g.PH + p * g.DH;
                if (r < 0 || r >= g.H) continue;
                for (int q = 0; q < g.KW; q++)
                {
                    int col = j * g.SW - g.PW + q * g.DW;
                    if (col < 0 || col >= g.W) continue;
                    sum += x[((n * g.C + c) * g.H + r) * g.W + col] * w[((o * g.C + c) * g.KH + p) * g.KW + q];
                }
            }
        y[k] = sum;
    }

    // dx[n,c,r,col] = Σ over (o, p, q) whose output (i, j) read (r, col): i·s = r + pad − p·d exactly.
    public static void BackwardInput(Index1D index, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, ConvGeometry g)
    {
        int k = index;
        int col = k % g.W, r = k / g.W % g.H, c = k / (g.W * g.H) % g.C, n = k / (g.W * g.H * g.C);
        float sum = 0f;
        for (int p = 0; p < g.KH; p++)
        {
            int ti = r + g.PH - p * g.DH;
            if (ti < 0 || ti % g.SH != 0 || ti / g.SH >= g.OH) continue;
            int i = ti / g.SH;
            for (int q = 0; q < g.KW; q++)
            {
                int tj = col + g.PW - q * g.DW;
                if (tj < 0 || tj % g.SW != 0 || tj / g.SW >= g.OW) continue;
                int j = tj / g.SW;
                for (int o = 0; o < g.O; o++)
                    sum += dy[((n * g.O + o) * g.OH + i) * g.OW + j] * w[((o * g.C + c) * g.KH + p) * g.KW + q];
            }
        }
        dx[k] = sum;
    }

    // dw[o,c,p,q] = Σ_{n,i,j} x[n, c, i·s−pad+p·d, j·s−pad+q·d]·dy[n,o,i,j]
    public static void BackwardWeight(Index1D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, ConvGeometry g)
    {
        int k = index;
        int q = k % g.KW, p = k / g.KW % g.KH, c = k / (g.KW * g.KH) % g.C, o = k / (g.KW * g.KH * g.C);
        float sum = 0f;
        for (int n = 0; n < g.N; n++)
            for (int i = 0; i < g.OH; i++)
            {
                int r = i * g.SH - g.PH + p * g.DH;
                if (r < 0 || r >= g.H) continue;
                for (int j = 0; j < g.OW; j++)
                {
                    int col = j * g.SW - g.PW + q * g.DW;
                    if (col < 0 || col >= g.W) continue;
                    sum += x[((n * g.C + c) * g.H + r) * g.W + col] * dy[((n * g.O + o) * g.OH + i) * g.OW + j];
                }
            }
        dw[k] = sum;
    }

    // Max pooling as the CPU kernel: −∞ padding, first maximum in row-major order wins, NaN wins.
    public static void MaxPoolForward(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> argmax, ConvGeometry g)
    {
        int k = index;
        int j = k % g.OW, i = k / g.OW % g.OH, nc = k / (g.OW * g.OH);
        int r0 = XMath.Max(i * g.SH - g.PH, 0), r1 = XMath.Min(i * g.SH - g.PH + g.KH, g.H);
        int c0 = XMath.Max(j * g.SW - g.PW, 0), c1 = XMath.Min(j * g.SW - g.PW + g.KW, g.W);
        float best = float.NegativeInfinity;
        int bestIndex = r0 * g.W + c0;
        bool done = false;
        for (int r = r0; r < r1 && !done; r++)
            for (int c = c0; c < c1 && !done; c++)
            {
                float v = x[nc * g.H * g.W + r * g.W + c];
                if (v > best || XMath.IsNaN(v))
                {
                    best = v;
                    bestIndex = r * g.W + c;
                    done = XMath.IsNaN(v);
                }
            }
        y[k] = best;
        argmax[k] = bestIndex;
    }

    // dx[nc, r, c] = Σ dy over the windows that contain (r, c) and chose it.
    public static void MaxPoolBackward(Index1D index, ArrayView<float> dy, ArrayView<float> argmax, ArrayView<float> dx, ConvGeometry g)
    {
        int k = index;
        int c = k % g.W, r = k / g.W % g.H, nc = k / (g.W * g.H);
        float sum = 0f;
        for (int i = 0; i < g.OH; i++)
        {
            int top = i * g.SH - g.PH;
            if (r < top || r >= top + g.KH) continue;
            for (int j = 0; j < g.OW; j++)
            {
                int left = j * g.SW - g.PW;
                if (c < left || c >= left + g.KW) continue;
                int at = (nc * g.OH + i) * g.OW + j;
                if ((int)argmax[at] == r * g.W + c) sum += dy[at];
            }
        }
        dx[k] = sum;
    }

    public static void AvgPoolForward(Index1D index, ArrayView<float> x, ArrayView<float> y, ConvGeometry g)
    {
        int k = index;
        int j = k % g.OW, i = k / g.OW % g.OH, nc = k / (g.OW * g.OH);
        int r0 = XMath.Max(i * g.SH - g.PH, 0), r1 = XMath.Min(i * g.SH - g.PH + g.KH, g.H);
        int c0 = XMath.Max(j * g.SW - g.PW, 0), c1 = XMath.Min(j * g.SW - g.PW + g.KW, g.W);
        float sum = 0f;
        for (int r = r0; r < r1; r++)
            for (int c = c0; c < c1; c++) sum += x[nc * g.H * g.W + r * g.W + c];
        y[k] = sum / (g.KH * g.KW);
    }

    public static void AvgPoolBackward(Index1D index, ArrayView<float> dy, ArrayView<float> dx, ConvGeometry g)
    {
        int k = index;
        int c = k % g.W, r = k / g.W % g.H, nc = k / (g.W * g.H);
        float sum = 0f;
        for (int i = 0; i < g.OH; i++)
        {
            int top = i * g.SH - g.PH;
            if (r < top || r >= top + g.KH) continue;
            for (int j = 0; j < g.OW; j++)
            {
                int left = j * g.SW - g.PW;
                if (c >= left && c < left + g.KW) sum += dy[(nc * g.OH + i) * g.OW + j];
            }
        }
        dx[k] = sum / (g.KH * g.KW);
    }

    // One thread per channel: mean and biased variance over (n, s), two passes. x: (n, c, s).
    public static void BatchNormStatistics(Index1D ch, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> variance, int n, int c, int s)
    {
        float sum = 0f;
        for (int b = 0; b < n; b++)
            for (int k = 0; k < s; k++) sum += x[(b * c + ch) * s + k];
        float mu = sum / (n * s), squares = 0f;
        for (int b = 0; b < n; b++)
            for (int k = 0; k < s; k++)
            {
                float d = x[(b * c + ch) * s + k] - mu;
                squares += d * d;
            }
        mean[ch] = mu;
        variance[ch] = squares / (n * s);
    }

    // y = (x − mean)·invStd·γ + β per element; hasAffine 0: γ = 1, β = 0.
    public static void BatchNormApply(Index1D k, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> beta, int hasAffine, ArrayView<float> y, int c, int s)
    {
        int ch = k / s % c;
        float scale = invStd[ch] * (hasAffine != 0 ? gamma[ch] : 1f);
        float shift = (hasAffine != 0 ? beta[ch] : 0f) - mean[ch] * scale;
        y[k] = x[k] * scale + shift;
    }

    // One thread per channel: dβ = Σ dy, dγ = Σ dy·x̂.
    public static void BatchNormReduce(Index1D ch, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> dgamma, ArrayView<float> dbeta, int n, int c, int s)
    {
        float sumDy = 0f, sumDyXhat = 0f;
        for (int b = 0; b < n; b++)
            for (int k = 0; k < s; k++)
            {
                int at = (b * c + ch) * s + k;
                sumDy += dy[at];
                sumDyXhat += dy[at] * (x[at] - mean[ch]) * invStd[ch];
            }
        dgamma[ch] = sumDyXhat;
        dbeta[ch] = sumDy;
    }

    // dx = γ·invStd·(dy − training·(dβ + x̂·dγ)/M), the sums from BatchNormReduce.
    public static void BatchNormInputGradient(Index1D k, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, int hasAffine, ArrayView<float> dgamma, ArrayView<float> dbeta, int training, ArrayView<float> dx, int c, int s, int m)
    {
        int ch = k / s % c;
        float xhat = (x[k] - mean[ch]) * invStd[ch];
        float scale = (hasAffine != 0 ? gamma[ch] : 1f) * invStd[ch];
        float correction = training != 0 ? (dbeta[ch] + xhat * dgamma[ch]) / m : 0f;
        dx[k] = scale * (dy[k] - correction);
    }
}
