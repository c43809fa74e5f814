using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The oracle: every CPU kernel written as the plainest loop that can be read at a glance.
/// The fast kernels in <see cref="CpuKernels"/> are tested against these, element by element.
/// Nothing here is meant to be fast.
/// </summary>
public static partial class Reference
{
    /// <summary>
    /// op applied to one element: the definition every device's kernel for op is tested against.
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a value outside <see cref="UnaryOp"/>.
    /// </summary>
    public static T Apply<T>(UnaryOp op, T x) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Exp => T.Exp(x),
        UnaryOp.Log => T.Log(x),
        UnaryOp.Sqrt => T.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Abs => T.Abs(x),
        UnaryOp.Sign => T.IsNaN(x) ? x : T.CreateTruncating(T.Sign(x)),
        UnaryOp.Relu => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero),
        UnaryOp.Sigmoid => T.One / (T.One + T.Exp(-x)),
        UnaryOp.Tanh => T.Tanh(x),
        // softplus(x) = max(x, 0) + log1p(exp(-|x|)): exp never overflows. Not T.LogP1: .NET
        // computes it as Log(1 + x), which returns 0 for x below one ulp of 1 (softplus(-48) would be 0).
        UnaryOp.Softplus => T.IsNaN(x) ? x : T.Max(x, T.Zero) + Log1P(T.Exp(-T.Abs(x))),
        UnaryOp.Reciprocal => T.One / x,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary op"),
    };

    /// <summary>
    /// log(1 + e), accurate for tiny e: u = 1 + e is rounded, but log(u)·e/(u - 1) cancels that rounding
    /// (Goldberg 1991, "What every computer scientist should know about floating-point arithmetic", Thm 4).
    /// </summary>
    public static T Log1P<T>(T e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + e;
        return u == T.One ? e : T.Log(u) * (e / (u - T.One));
    }

    /// <summary>
    /// op applied to one pair: the definition every device's kernel for op is tested against.
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a value outside <see cref="BinaryOp"/>.
    /// </summary>
    public static T Apply<T>(BinaryOp op, T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Pow => T.Pow(a, b),
        BinaryOp.Max => T.Max(a, b),
        BinaryOp.Min => T.Min(a, b),
        BinaryOp.ReluBackward => a > T.Zero ? b : T.Zero,
        BinaryOp.LeakyRelu => a > T.Zero ? a : a * b,
        BinaryOp.LeakyReluSlope => a > T.Zero ? T.One : b,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary op"),
    };

    /// <summary>x: (n) → y: (n), y[i] = Apply(op, x[i]). No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void Unary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = Apply(op, x[i]);
    }

    /// <summary>a: (n), b: (n) → y: (n), y[i] = Apply(op, a[i], b[i]). No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void Binary<T>(BinaryOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++) y[i] = Apply(op, a[i], b[i]);
    }

    /// <summary>a: (n), scalar s → y: (n), y[i] = Apply(op, a[i], s). No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void BinaryScalar<T>(BinaryOp op, ReadOnlySpan<T> a, T s, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++) y[i] = Apply(op, a[i], s);
    }

    /// <summary>scalar s, b: (n) → y: (n), y[i] = Apply(op, s, b[i]): s − b, s / b and the like. No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void ScalarBinary<T>(BinaryOp op, T s, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < b.Length; i++) y[i] = Apply(op, s, b[i]);
    }

    /// <summary>
    /// x: (n) → y: (n), y[i] = min(max(x[i], min), max); NaN stays NaN (as torch.clamp), and
    /// min &gt; max gives max everywhere. No length checks: a short output throws IndexOutOfRangeException.
    /// </summary>
    public static void Clamp<T>(ReadOnlySpan<T> x, T min, T max, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.IsNaN(x[i]) ? x[i] : T.Min(T.Max(x[i], min), max);
    }

    /// <summary>Σ x added in index order, one rounding per addition; 0 for an empty span.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.Zero;
        foreach (var v in x) s += v;
        return s;
    }

    /// <summary>Maximum; NaN if any element is NaN; -Inf for an empty span.</summary>
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = T.NegativeInfinity;
        foreach (var v in x)
        {
            if (T.IsNaN(v)) return v;
            if (v > m) m = v;
        }
        return m;
    }

    /// <summary>x: (rows, cols) → y: (rows), y[r] = Σ_c x[r, c] (as <see cref="Sum{T}"/>). No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void SumLastAxis<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) y[r] = Sum(x.Slice(r * cols, cols));
    }

    /// <summary>x: (rows, cols) → y: (rows), y[r] = max_c x[r, c] (as <see cref="Max{T}"/>: NaN wins, −∞ when cols = 0). No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void MaxLastAxis<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) y[r] = Max(x.Slice(r * cols, cols));
    }

    /// <summary>x: (rows, cols) → y: (cols), y[c] = Σ_r x[r, c] in row order: a dense layer's bias gradient. No length checks: a short output throws IndexOutOfRangeException.</summary>
    public static void ColumnSums<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = 0; c < cols; c++)
        {
            T s = T.Zero;
            for (int r = 0; r < rows; r++) s += x[r * cols + c];
            y[c] = s;
        }
    }

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C, row-major. op(A) is (m, k), op(B) is (k, n), C is (m, n).
    /// A is stored (m, k) with leading dimension lda, or (k, m) when transA; likewise B.
    /// beta = 0 overwrites C (NaN in C does not leak through), as BLAS does.
    /// </summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            T acc = T.Zero;
            for (int p = 0; p < k; p++)
            {
                T aip = transA ? a[p * lda + i] : a[i * lda + p];
                T bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                acc += aip * bpj;
            }
            ref T cij = ref c[i * ldc + j];
            cij = beta == T.Zero ? alpha * acc : alpha * acc + beta * cij;
        }
    }
}
