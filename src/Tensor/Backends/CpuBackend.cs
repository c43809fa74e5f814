using System.Numerics;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;

namespace Scratch;

/// <summary>
/// The CPU device: every call unwraps the managed arrays and hands spans to
/// <see cref="CpuKernels"/>. The dtype switch happens here, once per op, so the kernels below
/// are written once with generic math for float and double.
/// </summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The one CPU backend (<see cref="Backends.For"/> returns it for <see cref="Device.Cpu"/>).</summary>
    public static readonly CpuBackend Instance = new();

    private CpuBackend() { }

    /// <inheritdoc/>
    public Device Device => Device.Cpu;

    /// <inheritdoc/>
    public Storage Allocate(DType dtype, int length) => dtype == DType.Float32
        ? TensorPool.Allocate<float>(length, zeroed: true)
        : TensorPool.Allocate<double>(length, zeroed: true);

    // A reused buffer skips the memset; a new managed array is zeroed by the runtime anyway.
    /// <inheritdoc/>
    public Storage AllocateUninitialized(DType dtype, int length) => dtype == DType.Float32
        ? TensorPool.Allocate<float>(length, zeroed: false)
        : TensorPool.Allocate<double>(length, zeroed: false);

    /// <inheritdoc/>
    public Storage FromHost<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var storage = TensorPool.Allocate<T>(data.Length, zeroed: false);
        data.CopyTo(Array<T>(storage));
        return storage;
    }

    /// <inheritdoc/>
    public void ToHost<T>(Buf src, Span<T> dst) where T : unmanaged => Span<T>(src).CopyTo(dst);

    /// <inheritdoc/>
    public void Gather(Storage src, int offset, int[] shape, int[] strides, Buf dst)
    {
        if (dst.Storage.DType == DType.Float32) GatherT<float>(src, offset, shape, strides, dst);
        else GatherT<double>(src, offset, shape, strides, dst);
    }

    // Walks the output in row-major order; the innermost axis is copied as a run when its
    // stride is 1 (the common case: a row slice or a reshape of a transposed matrix's rows).
    private static void GatherT<T>(Storage src, int offset, int[] shape, int[] strides, Buf dst) where T : unmanaged
    {
        var from = Array<T>(src);
        var to = Span<T>(dst);
        int rank = shape.Length;
        if (to.Length == 0) return;
        if (rank == 0) { to[0] = from[offset]; return; }
        int inner = shape[rank - 1], innerStride = strides[rank - 1];
        if (rank == 1 && innerStride == 1)
        {
            // One run (a row copied by a strided CopyFrom): no index bookkeeping to allocate.
            from.AsSpan(offset, inner).CopyTo(to);
            return;
        }
        var index = new int[rank];
        int written = 0;
        while (written < to.Length)
        {
            int start = offset;
            for (int d = 0; d < rank - 1; d++) start += index[d] * strides[d];
            if (innerStride == 1)
                from.AsSpan(start, inner).CopyTo(to.Slice(written, inner));
            else
                for (int i = 0; i < inner; i++) to[written + i] = from[start + i * innerStride];
            written += inner;
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
    }

    /// <inheritdoc/>
    public void Fill(Buf dst, double value)
    {
        if (dst.Storage.DType == DType.Float32) Span<float>(dst).Fill((float)value);
        else Span<double>(dst).Fill(value);
    }

    /// <inheritdoc/>
    public void FillNormal(Buf dst, ulong key, ulong stream)
    {
        if (dst.Storage.DType == DType.Float32) CpuKernels.FillNormal(Span<float>(dst), key, stream);
        else CpuKernels.FillNormal(Span<double>(dst), key, stream);
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, Buf x, Buf y)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.Unary<float>(op, Span<float>(x), Span<float>(y));
        else CpuKernels.Unary<double>(op, Span<double>(x), Span<double>(y));
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, Buf a, Buf b, Buf y)
    {
        if (a.Storage.DType == DType.Float32) CpuKernels.Binary<float>(op, Span<float>(a), Span<float>(b), Span<float>(y));
        else CpuKernels.Binary<double>(op, Span<double>(a), Span<double>(b), Span<double>(y));
    }

    /// <inheritdoc/>
    public void BinaryScalar(BinaryOp op, Buf a, double s, Buf y)
    {
        if (a.Storage.DType == DType.Float32) CpuKernels.BinaryScalar<float>(op, Span<float>(a), (float)s, Span<float>(y));
        else CpuKernels.BinaryScalar<double>(op, Span<double>(a), s, Span<double>(y));
    }

    /// <inheritdoc/>
    public void ScalarBinary(BinaryOp op, double s, Buf b, Buf y)
    {
        if (b.Storage.DType == DType.Float32) CpuKernels.ScalarBinary<float>(op, (float)s, Span<float>(b), Span<float>(y));
        else CpuKernels.ScalarBinary<double>(op, s, Span<double>(b), Span<double>(y));
    }

    /// <inheritdoc/>
    public void Clamp(Buf x, double min, double max, Buf y)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.Clamp<float>(Span<float>(x), (float)min, (float)max, Span<float>(y));
        else CpuKernels.Clamp<double>(Span<double>(x), min, max, Span<double>(y));
    }

    /// <inheritdoc/>
    public void Sum(Buf x, Buf y)
    {
        if (x.Storage.DType == DType.Float32) Span<float>(y)[0] = CpuKernels.Sum<float>(Span<float>(x));
        else Span<double>(y)[0] = CpuKernels.Sum<double>(Span<double>(x));
    }

    /// <inheritdoc/>
    public void Max(Buf x, Buf y)
    {
        if (x.Storage.DType == DType.Float32) Span<float>(y)[0] = CpuKernels.Max<float>(Span<float>(x));
        else Span<double>(y)[0] = CpuKernels.Max<double>(Span<double>(x));
    }

    /// <inheritdoc/>
    public void SumLastAxis(Buf x, int rows, int cols, Buf y)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.SumLastAxis<float>(Span<float>(x), rows, cols, Span<float>(y));
        else CpuKernels.SumLastAxis<double>(Span<double>(x), rows, cols, Span<double>(y));
    }

    /// <inheritdoc/>
    public void MaxLastAxis(Buf x, int rows, int cols, Buf y)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.MaxLastAxis<float>(Span<float>(x), rows, cols, Span<float>(y));
        else CpuKernels.MaxLastAxis<double>(Span<double>(x), rows, cols, Span<double>(y));
    }

    /// <inheritdoc/>
    public void ColumnSums(Buf x, int rows, int cols, Buf y)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.ColumnSums<float>(Span<float>(x), rows, cols, Span<float>(y));
        else CpuKernels.ColumnSums<double>(Span<double>(x), rows, cols, Span<double>(y));
    }

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, Buf a, int lda, Buf b, int ldb, double beta, Buf c, int ldc)
    {
        if (a.Storage.DType == DType.Float32)
            CpuKernels.Gemm<float>(transA, transB, m, n, k, (float)alpha, Span<float>(a), lda, Span<float>(b), ldb, (float)beta, Span<float>(c), ldc);
        else
            CpuKernels.Gemm<double>(transA, transB, m, n, k, alpha, Span<double>(a), lda, Span<double>(b), ldb, beta, Span<double>(c), ldc);
    }

    /// <inheritdoc/>
    public bool TryGemmBiasActivation(bool transA, bool transB, int m, int n, int k, Buf a, int lda, Buf b, int ldb, Buf c, int ldc,
        Buf? bias, GemmActivation activation, double negativeSlope)
    {
        if (a.Storage.DType == DType.Float32)
            CpuKernels.Gemm<float>(transA, transB, m, n, k, 1f, Span<float>(a), lda, Span<float>(b), ldb, 0f, Span<float>(c), ldc,
                new GemmOptions<float> { ColumnBias = Optional<float>(bias), Activation = activation, NegativeSlope = (float)negativeSlope });
        else
            CpuKernels.Gemm<double>(transA, transB, m, n, k, 1.0, Span<double>(a), lda, Span<double>(b), ldb, 0.0, Span<double>(c), ldc,
                new GemmOptions<double> { ColumnBias = Optional<double>(bias), Activation = activation, NegativeSlope = negativeSlope });
        return true;
    }

    /// <inheritdoc/>
    public bool TryGemmRowSums(bool transA, bool transB, int m, int n, int k, Buf a, int lda, Buf b, int ldb, Buf c, int ldc, Buf rowSums)
    {
        if (a.Storage.DType == DType.Float32)
            CpuKernels.Gemm<float>(transA, transB, m, n, k, 1f, Span<float>(a), lda, Span<float>(b), ldb, 0f, Span<float>(c), ldc,
                new GemmOptions<float> { RowSumsOfA = Span<float>(rowSums) });
        else
            CpuKernels.Gemm<double>(transA, transB, m, n, k, 1.0, Span<double>(a), lda, Span<double>(b), ldb, 0.0, Span<double>(c), ldc,
                new GemmOptions<double> { RowSumsOfA = Span<double>(rowSums) });
        return true;
    }

    /// <inheritdoc/>
    public void AddRowVector(Buf y, Buf bias, int rows, int cols)
    {
        if (y.Storage.DType == DType.Float32) CpuKernels.AddBiasRows<float>(Span<float>(y), Span<float>(bias), rows, cols);
        else CpuKernels.AddBiasRows<double>(Span<double>(y), Span<double>(bias), rows, cols);
    }

    /// <inheritdoc/>
    public void AddRowVectorActivation(Buf y, Buf bias, int rows, int cols, UnaryOp activation)
    {
        if (activation != UnaryOp.Relu)
        {
            AddRowVector(y, bias, rows, cols);
            Unary(activation, y, y);
        }
        else if (y.Storage.DType == DType.Float32) CpuKernels.AddBiasRelu<float>(Span<float>(y), Span<float>(bias), rows, cols);
        else CpuKernels.AddBiasRelu<double>(Span<double>(y), Span<double>(bias), rows, cols);
    }

    /// <inheritdoc/>
    public void AdamStep(Buf param, Buf grad, Buf m, Buf v, AdamSettings s, int step)
    {
        if (param.Storage.DType == DType.Float32)
            CpuKernels.AdamStep<float>(Span<float>(param), Span<float>(grad), Span<float>(m), Span<float>(v),
                (float)s.LearningRate, (float)s.Beta1, (float)s.Beta2, (float)s.Epsilon, (float)s.WeightDecay, s.Decoupled, step);
        else
            CpuKernels.AdamStep<double>(Span<double>(param), Span<double>(grad), Span<double>(m), Span<double>(v),
                s.LearningRate, s.Beta1, s.Beta2, s.Epsilon, s.WeightDecay, s.Decoupled, step);
    }

    /// <inheritdoc/>
    public void SgdStep(Buf param, Buf grad, Buf momentumBuffer, SgdSettings s, int step)
    {
        if (param.Storage.DType == DType.Float32)
            CpuKernels.SgdStep<float>(Span<float>(param), Span<float>(grad), Span<float>(momentumBuffer),
                (float)s.LearningRate, (float)s.Momentum, (float)s.Dampening, (float)s.WeightDecay, s.Nesterov, step);
        else
            CpuKernels.SgdStep<double>(Span<double>(param), Span<double>(grad), Span<double>(momentumBuffer),
                s.LearningRate, s.Momentum, s.Dampening, s.WeightDecay, s.Nesterov, step);
    }

    /// <inheritdoc/>
    public void BceWithLogitsSum(Buf logits, Buf target, Buf loss)
    {
        if (logits.Storage.DType == DType.Float32) Span<float>(loss)[0] = CpuKernels.BceWithLogitsSum<float>(Span<float>(logits), Span<float>(target));
        else Span<double>(loss)[0] = CpuKernels.BceWithLogitsSum<double>(Span<double>(logits), Span<double>(target));
    }

    /// <inheritdoc/>
    public void BceWithLogitsBackward(Buf logits, Buf target, double scale, Buf grad)
    {
        if (logits.Storage.DType == DType.Float32) CpuKernels.BceWithLogitsBackward<float>(Span<float>(logits), Span<float>(target), (float)scale, Span<float>(grad));
        else CpuKernels.BceWithLogitsBackward<double>(Span<double>(logits), Span<double>(target), scale, Span<double>(grad));
    }

    // ---- convolution family: the dtype switch, then CpuKernels (Cpu/Conv) ----

    /// <inheritdoc/>
    public void Conv2dForward(Conv2dShape shape, Buf x, Buf w, Buf? bias, Buf y)
    {
        if (x.Storage.DType == DType.Float32)
            CpuKernels.Conv2dForward<float>(shape, Span<float>(x), Span<float>(w), Optional<float>(bias), Span<float>(y));
        else
            CpuKernels.Conv2dForward<double>(shape, Span<double>(x), Span<double>(w), Optional<double>(bias), Span<double>(y));
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(Conv2dShape shape, Buf dy, Buf w, Buf dx)
    {
        if (dy.Storage.DType == DType.Float32) CpuKernels.Conv2dBackwardInput<float>(shape, Span<float>(dy), Span<float>(w), Span<float>(dx));
        else CpuKernels.Conv2dBackwardInput<double>(shape, Span<double>(dy), Span<double>(w), Span<double>(dx));
    }

    /// <inheritdoc/>
    public bool TryConv2dBackwardInputWithBias(Conv2dShape shape, Buf dy, Buf w, Buf bias, Buf dx)
    {
        if (dy.Storage.DType == DType.Float32)
            CpuKernels.Conv2dBackwardInput<float>(shape, Span<float>(dy), Span<float>(w), Span<float>(bias), Span<float>(dx));
        else
            CpuKernels.Conv2dBackwardInput<double>(shape, Span<double>(dy), Span<double>(w), Span<double>(bias), Span<double>(dx));
        return true;
    }

    /// <inheritdoc/>
    public void Conv2dForwardAndBackwardWeight(Conv2dShape shape, Buf x, Buf w, Buf y, Buf dy, Buf dw)
    {
        if (x.Storage.DType == DType.Float32)
            CpuKernels.Conv2dForwardAndBackwardWeight<float>(shape, Span<float>(x), Span<float>(w), Span<float>(y), Span<float>(dy), Span<float>(dw));
        else
            CpuKernels.Conv2dForwardAndBackwardWeight<double>(shape, Span<double>(x), Span<double>(w), Span<double>(y), Span<double>(dy), Span<double>(dw));
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(Conv2dShape shape, Buf x, Buf dy, Buf dw)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.Conv2dBackwardWeight<float>(shape, Span<float>(x), Span<float>(dy), Span<float>(dw));
        else CpuKernels.Conv2dBackwardWeight<double>(shape, Span<double>(x), Span<double>(dy), Span<double>(dw));
    }

    /// <inheritdoc/>
    public void MaxPool2dForward(Pool2dShape shape, Buf x, Buf y, Buf argmax)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.MaxPool2dForward<float>(shape, Span<float>(x), Span<float>(y), Span<float>(argmax));
        else CpuKernels.MaxPool2dForward<double>(shape, Span<double>(x), Span<double>(y), Span<double>(argmax));
    }

    /// <inheritdoc/>
    public void MaxPool2dBackward(Pool2dShape shape, Buf dy, Buf argmax, Buf dx)
    {
        if (dy.Storage.DType == DType.Float32) CpuKernels.MaxPool2dBackward<float>(shape, Span<float>(dy), Span<float>(argmax), Span<float>(dx));
        else CpuKernels.MaxPool2dBackward<double>(shape, Span<double>(dy), Span<double>(argmax), Span<double>(dx));
    }

    /// <inheritdoc/>
    public void AvgPool2dForward(Pool2dShape shape, Buf x, Buf y)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.AvgPool2dForward<float>(shape, Span<float>(x), Span<float>(y));
        else CpuKernels.AvgPool2dForward<double>(shape, Span<double>(x), Span<double>(y));
    }

    /// <inheritdoc/>
    public void AvgPool2dBackward(Pool2dShape shape, Buf dy, Buf dx)
    {
        if (dy.Storage.DType == DType.Float32) CpuKernels.AvgPool2dBackward<float>(shape, Span<float>(dy), Span<float>(dx));
        else CpuKernels.AvgPool2dBackward<double>(shape, Span<double>(dy), Span<double>(dx));
    }

    /// <inheritdoc/>
    public void BatchNormStatistics(Buf x, int n, int c, int s, Buf mean, Buf variance)
    {
        if (x.Storage.DType == DType.Float32) CpuKernels.BatchNormStatistics<float>(Span<float>(x), n, c, s, Span<float>(mean), Span<float>(variance));
        else CpuKernels.BatchNormStatistics<double>(Span<double>(x), n, c, s, Span<double>(mean), Span<double>(variance));
    }

    /// <inheritdoc/>
    public void BatchNormApply(Buf x, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, Buf? beta, Buf y)
    {
        if (x.Storage.DType == DType.Float32)
            CpuKernels.BatchNormApply<float>(Span<float>(x), n, c, s, Span<float>(mean), Span<float>(invStd), Optional<float>(gamma), Optional<float>(beta), Span<float>(y));
        else
            CpuKernels.BatchNormApply<double>(Span<double>(x), n, c, s, Span<double>(mean), Span<double>(invStd), Optional<double>(gamma), Optional<double>(beta), Span<double>(y));
    }

    /// <inheritdoc/>
    public void BatchNormBackward(Buf x, Buf dy, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, bool training, Buf dx, Buf? dgamma, Buf? dbeta)
    {
        if (x.Storage.DType == DType.Float32)
            CpuKernels.BatchNormBackward<float>(Span<float>(x), Span<float>(dy), n, c, s, Span<float>(mean), Span<float>(invStd), Optional<float>(gamma),
                training, Span<float>(dx), Optional<float>(dgamma), Optional<float>(dbeta));
        else
            CpuKernels.BatchNormBackward<double>(Span<double>(x), Span<double>(dy), n, c, s, Span<double>(mean), Span<double>(invStd), Optional<double>(gamma),
                training, Span<double>(dx), Optional<double>(dgamma), Optional<double>(dbeta));
    }

    // An optional operand (a missing bias or γ) as an empty span, which the kernels read as "none".
    private static Span<T> Optional<T>(Buf? buf) where T : unmanaged => buf is { } b ? Span<T>(b) : default;

    /// <summary>The contiguous run a <see cref="Buf"/> names, as a span of T.</summary>
    public static Span<T> Span<T>(Buf buf) where T : unmanaged =>
        Array<T>(buf.Storage).AsSpan(buf.Offset, buf.Length);

    // A CPU storage's array, whether ordinary or on loan from the pool.
    private static T[] Array<T>(Storage storage) where T : unmanaged => storage switch
    {
        CpuStorage<T> plain => plain.Data,
        PooledStorage<T> pooled => pooled.Data,
        _ => throw new InvalidOperationException($"cpu: a {storage.Device.Name} {storage.DType.Name()} storage reached the CPU backend"),
    };
}
