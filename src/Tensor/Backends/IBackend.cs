using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// Everything a device must compute — the whole contract between tensors and hardware, in the
/// spirit of minitorch's TensorBackend. Operands are contiguous runs (<see cref="Buf"/>) of equal
/// dtype on this device; shapes, broadcasting and checks are the Tensor layer's job, done once
/// above this line. Nothing outside a backend knows which device it is.
/// </summary>
public interface IBackend
{
    /// <summary>The device this backend computes on; every storage it makes lives there.</summary>
    Device Device { get; }

    /// <summary>A new zero-filled storage.</summary>
    Storage Allocate(DType dtype, int length);

    /// <summary>A new storage whose contents are unspecified (the caller writes every element).</summary>
    Storage AllocateUninitialized(DType dtype, int length) => Allocate(dtype, length);

    /// <summary>A new storage on this device holding a copy of <paramref name="data"/> (float or double).</summary>
    /// <exception cref="NotSupportedException">This device does not support T's dtype (GPU devices take float32 only).</exception>
    Storage FromHost<T>(ReadOnlySpan<T> data) where T : unmanaged;

    /// <summary>
    /// Copies the run <paramref name="src"/> into host memory <paramref name="dst"/> (at least
    /// src.Length long, T the storage's element type). On a GPU this waits for every queued kernel.
    /// </summary>
    void ToHost<T>(Buf src, Span<T> dst) where T : unmanaged;

    /// <summary>Copies a strided view into a contiguous run: dst[i] = src[offset + Σ index·stride].</summary>
    void Gather(Storage src, int offset, int[] shape, int[] strides, Buf dst);

    /// <summary>dst[i] = value (rounded to the dtype) for every element of the run.</summary>
    void Fill(Buf dst, double value);

    /// <summary>dst[i] = element i of the standard-normal stream (key, stream) of Philox4x32-10 (layout: Kernels/Cpu/Random/Philox.cs).</summary>
    void FillNormal(Buf dst, ulong key, ulong stream);

    /// <summary>y[i] = op(x[i]); x and y have one length and may be the same run (in place).</summary>
    void Unary(UnaryOp op, Buf x, Buf y);

    /// <summary>y[i] = op(a[i], b[i]); all three runs have one length (broadcasting is done above, by the Tensor layer).</summary>
    void Binary(BinaryOp op, Buf a, Buf b, Buf y);

    /// <summary>y = a op s.</summary>
    void BinaryScalar(BinaryOp op, Buf a, double s, Buf y);

    /// <summary>y = s op b.</summary>
    void ScalarBinary(BinaryOp op, double s, Buf b, Buf y);

    /// <summary>y[i] = min(max(x[i], min), max); NaN stays NaN. The caller ensures min ≤ max.</summary>
    void Clamp(Buf x, double min, double max, Buf y);

    /// <summary>y[0] = Σ x.</summary>
    void Sum(Buf x, Buf y);

    /// <summary>y[0] = max x.</summary>
    void Max(Buf x, Buf y);

    /// <summary>Row sums: x: (rows, cols) → y: (rows), y[r] = Σ_c x[r, c].</summary>
    void SumLastAxis(Buf x, int rows, int cols, Buf y);

    /// <summary>Row maxima: x: (rows, cols) → y: (rows), y[r] = max_c x[r, c]; cols ≥ 1.</summary>
    void MaxLastAxis(Buf x, int rows, int cols, Buf y);

    /// <summary>Column sums: x: (rows, cols) → y: (cols), y[c] = Σ_r x[r, c] (a bias gradient, or a sum over a middle axis).</summary>
    void ColumnSums(Buf x, int rows, int cols, Buf y);

    /// <summary>C = alpha·op(A)·op(B) + beta·C over contiguous row-major matrices.</summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, Buf a, int lda, Buf b, int ldb, double beta, Buf c, int ldc);

    // ---- fused ops: one pass where composing would take several ----

    /// <summary>
    /// C = act(op(A)·op(B) + bias[column]) with bias and activation applied in the GEMM's epilogue,
    /// bias: (n) or null. Returns false where this device has no such kernel (the Tensor layer then
    /// composes Gemm, AddRowVector and the activation).
    /// </summary>
    bool TryGemmBiasActivation(bool transA, bool transB, int m, int n, int k, Buf a, int lda, Buf b, int ldb, Buf c, int ldc,
        Buf? bias, GemmActivation activation, double negativeSlope) => false;

    /// <summary>
    /// C = op(A)·op(B) and rowSums[i] = Σ_p op(A)[i, p], summed while the GEMM packs A (a dense layer's
    /// weight and bias gradients). Returns false where this device has no such kernel.
    /// </summary>
    bool TryGemmRowSums(bool transA, bool transB, int m, int n, int k, Buf a, int lda, Buf b, int ldb, Buf c, int ldc, Buf rowSums) => false;

    /// <summary>y[r, c] += bias[c] for y: (rows, cols) — the bias of a dense layer, in place.</summary>
    void AddRowVector(Buf y, Buf bias, int rows, int cols);

    /// <summary>
    /// y[r, c] = f(y[r, c] + bias[c]) in place, f = Relu, Sigmoid or Tanh — a dense layer's bias and
    /// activation. By default two passes; a backend with a fused kernel makes it one.
    /// </summary>
    void AddRowVectorActivation(Buf y, Buf bias, int rows, int cols, UnaryOp activation)
    {
        AddRowVector(y, bias, rows, cols);
        Unary(activation, y, y);
    }

    /// <summary>One Adam/AdamW step over a parameter, in place on param, m and v (PyTorch's update rule).</summary>
    void AdamStep(Buf param, Buf grad, Buf m, Buf v, AdamSettings settings, int step);

    /// <summary>One SGD step (momentum, dampening, weight decay, Nesterov as in PyTorch), in place.</summary>
    void SgdStep(Buf param, Buf grad, Buf momentumBuffer, SgdSettings settings, int step);

    /// <summary>loss[0] = Σ max(x, 0) − x·t + ln(1 + e^−|x|): binary cross-entropy of logits x against targets t.</summary>
    void BceWithLogitsSum(Buf logits, Buf target, Buf loss);

    /// <summary>grad = (σ(x) − t)·scale.</summary>
    void BceWithLogitsBackward(Buf logits, Buf target, double scale, Buf grad);

    // ---- convolution, pooling, batch norm (NCHW; the contracts of CpuKernels.Conv2dForward & co) ----
    // The CPU (Kernels/Cpu/Conv) and the GPU backends (Kernels/Gpu: ConvKernels, PoolKernels,
    // BatchNormKernels) implement these; a future device without its own kernels says so clearly
    // instead of failing deep inside.

    /// <summary>y = conv2d(x, w) + bias; x: (N, C, H, W), w: (O, C, KH, KW), bias: (O) or null → y: (N, O, OH, OW).</summary>
    void Conv2dForward(Conv2dShape shape, Buf x, Buf w, Buf? bias, Buf y) => throw Unsupported("conv2d");

    /// <summary>dx (overwritten) = the input gradient of conv2d for dy: (N, O, OH, OW).</summary>
    void Conv2dBackwardInput(Conv2dShape shape, Buf dy, Buf w, Buf dx) => throw Unsupported("conv2d backward");

    /// <summary>
    /// dx (overwritten) = the input gradient of conv2d for dy, plus bias[c] on channel c of dx: a
    /// transposed convolution with its bias in one kernel. Returns false where this device has no such
    /// kernel (the Tensor layer then adds the bias in a broadcast pass).
    /// </summary>
    bool TryConv2dBackwardInputWithBias(Conv2dShape shape, Buf dy, Buf w, Buf bias, Buf dx) => false;

    /// <summary>dw (overwritten) = the weight gradient of conv2d for x and dy.</summary>
    void Conv2dBackwardWeight(Conv2dShape shape, Buf x, Buf dy, Buf dw) => throw Unsupported("conv2d backward");

    /// <summary>
    /// y = conv2d(x, w) (no bias) and dw = the weight gradient of conv2d for x and dy, both overwritten:
    /// the two products that read x's patches (a transposed convolution's backward). By default the
    /// two kernels one after the other; the CPU gathers x's patches once for both.
    /// </summary>
    void Conv2dForwardAndBackwardWeight(Conv2dShape shape, Buf x, Buf w, Buf y, Buf dy, Buf dw)
    {
        Conv2dForward(shape, x, w, null, y);
        Conv2dBackwardWeight(shape, x, dy, dw);
    }

    /// <summary>y and argmax (the winner's flat index in its plane) of max pooling.</summary>
    void MaxPool2dForward(Pool2dShape shape, Buf x, Buf y, Buf argmax) => throw Unsupported("max_pool2d");

    /// <summary>
    /// Max pooling's input gradient: dx (N, C, H, W), overwritten, is zero except that each dy
    /// (N, C, OH, OW) element is added at its window's winner, read from argmax.
    /// </summary>
    void MaxPool2dBackward(Pool2dShape shape, Buf dy, Buf argmax, Buf dx) => throw Unsupported("max_pool2d backward");

    /// <summary>Average pooling: y (N, C, OH, OW) = the mean of each window of x (N, C, H, W), padding counted as zeros.</summary>
    void AvgPool2dForward(Pool2dShape shape, Buf x, Buf y) => throw Unsupported("avg_pool2d");

    /// <summary>Average pooling's input gradient: dx (N, C, H, W), overwritten, receives dy / (KH·KW) at every element of each window.</summary>
    void AvgPool2dBackward(Pool2dShape shape, Buf dy, Buf dx) => throw Unsupported("avg_pool2d backward");

    /// <summary>Per-channel mean and biased variance of x viewed as (n, c, s).</summary>
    void BatchNormStatistics(Buf x, int n, int c, int s, Buf mean, Buf variance) => throw Unsupported("batch_norm");

    /// <summary>y = (x − mean)·invStd·γ + β per channel; γ, β null when not affine.</summary>
    void BatchNormApply(Buf x, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, Buf? beta, Buf y) => throw Unsupported("batch_norm");

    /// <summary>dx (overwritten), dγ, dβ of <see cref="BatchNormApply"/>; training: mean and invStd depend on x.</summary>
    void BatchNormBackward(Buf x, Buf dy, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, bool training, Buf dx, Buf? dgamma, Buf? dbeta) =>
        throw Unsupported("batch_norm backward");

    private NotSupportedException Unsupported(string op) =>
        new($"{op}: not supported on {Device.Name} yet (no convolution kernels for this device); move the model and data with To(Device.Cpu)");
}
