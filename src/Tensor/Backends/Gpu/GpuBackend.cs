using System.Runtime.InteropServices;
using ILGPU;
using Scratch.Kernels;
using Scratch.Kernels.Gpu;

namespace Scratch;

/// <summary>
/// A GPU device (CUDA, or ILGPU's CPU simulator): every call unwraps the device buffers as views
/// and enqueues one <see cref="GpuDevice"/> kernel. Nothing here waits: kernels run in stream
/// order, so the result of one op is safe to read in the next; only <see cref="ToHost{T}"/>
/// synchronizes. float32 only — GPU arithmetic in float64 is slow where it exists at all.
/// </summary>
public sealed partial class GpuBackend : IBackend
{
    private readonly GpuBufferPool _pool;

    /// <summary>
    /// A backend for <paramref name="device"/> computing on <paramref name="gpu"/>. <see cref="Backends"/>
    /// creates one per GPU device on first use; construct one yourself only to pass to
    /// <see cref="Backends.RegisterFactory"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="device"/> is the CPU, which has <see cref="CpuBackend"/>.</exception>
    public GpuBackend(Device device, GpuDevice gpu)
    {
        if (device.Kind == DeviceKind.Cpu)
            throw new ArgumentException("GpuBackend: the cpu device has its own backend (CpuBackend)");
        Device = device;
        Gpu = gpu;
        _pool = new GpuBufferPool(gpu);
        TensorPool.Clearing += _pool.Clear;
    }

    /// <inheritdoc/>
    public Device Device { get; }

    /// <summary>The ILGPU device the kernels run on.</summary>
    public GpuDevice Gpu { get; }

    /// <summary>Device buffers waiting in this backend's pool for the next scope (diagnostics).</summary>
    public int PooledBufferCount => _pool.FreeCount;

    /// <summary>Takes back the buffers of unscoped tensors the GC has collected (also done every 256 allocations).</summary>
    public int ReclaimCollected() => _pool.Sweep();

    /// <inheritdoc/>
    public Storage Allocate(DType dtype, int length)
    {
        CheckFloat32(dtype);
        var storage = NewStorage(length);
        storage.Buffer.Clear();   // the contract: new storage reads as zeros (a reused buffer holds old values)
        return storage;
    }

    /// <inheritdoc/>
    public Storage FromHost<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        CheckFloat32(DTypeExtensions.Of<T>());
        var storage = NewStorage(data.Length);
        storage.Buffer.CopyFromHost(MemoryMarshal.Cast<T, float>(data));
        return storage;
    }

    /// <summary>
    /// Device-to-host copies so far (each one waits for the device): a diagnostic for code that must
    /// not sync, such as a training step's backward pass.
    /// </summary>
    public long HostReads => Interlocked.Read(ref _hostReads);
    private long _hostReads;

    /// <inheritdoc/>
    public void ToHost<T>(Buf src, Span<T> dst) where T : unmanaged
    {
        CheckFloat32(DTypeExtensions.Of<T>());
        Interlocked.Increment(ref _hostReads);
        Storage(src).Buffer.CopyToHost(MemoryMarshal.Cast<T, float>(dst)[..src.Length], src.Offset);
    }

    /// <inheritdoc/>
    public void Fill(Buf dst, double value) => Gpu.Fill(View(dst), (float)value);

    /// <inheritdoc/>
    public void FillNormal(Buf dst, ulong key, ulong stream) => Gpu.FillNormal(View(dst), key, stream);

    /// <inheritdoc/>
    public void Unary(UnaryOp op, Buf x, Buf y) => Gpu.Unary(op, View(x), View(y));

    /// <inheritdoc/>
    public void Binary(BinaryOp op, Buf a, Buf b, Buf y) => Gpu.Binary(op, View(a), View(b), View(y));

    /// <inheritdoc/>
    public void BinaryScalar(BinaryOp op, Buf a, double s, Buf y) => Gpu.BinaryScalar(op, View(a), (float)s, View(y));

    /// <inheritdoc/>
    public void ScalarBinary(BinaryOp op, double s, Buf b, Buf y) => Gpu.ScalarBinary(op, (float)s, View(b), View(y));

    /// <inheritdoc/>
    public void Clamp(Buf x, double min, double max, Buf y) => Gpu.Clamp(View(x), (float)min, (float)max, View(y));

    // The result stays on the device (a one-element run): a loss feeds backward without a round trip.
    /// <inheritdoc/>
    public void Sum(Buf x, Buf y) => Gpu.Sum(View(x), View(y));

    /// <inheritdoc/>
    public void Max(Buf x, Buf y) => Gpu.Max(View(x), View(y));

    /// <inheritdoc/>
    public void SumLastAxis(Buf x, int rows, int cols, Buf y) => Gpu.SumLastAxis(View(x), rows, cols, View(y));

    /// <inheritdoc/>
    public void MaxLastAxis(Buf x, int rows, int cols, Buf y) => Gpu.MaxLastAxis(View(x), rows, cols, View(y));

    /// <inheritdoc/>
    public void ColumnSums(Buf x, int rows, int cols, Buf y) => Gpu.ColumnSums(View(x), rows, cols, View(y));

    // An empty operand arrives with a leading dimension of 0 (its row length); the kernel wants ≥ 1,
    // which is as good as any when nothing is read.
    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, Buf a, int lda, Buf b, int ldb, double beta, Buf c, int ldc) =>
        Gpu.Gemm(transA, transB, m, n, k, (float)alpha, View(a), Math.Max(lda, 1), View(b), Math.Max(ldb, 1), (float)beta, View(c), Math.Max(ldc, 1));

    // y: (rows, cols) += bias: (cols), in place: the row-broadcast kernel reads and writes each element once.
    /// <inheritdoc/>
    public void AddRowVector(Buf y, Buf bias, int rows, int cols)
    {
        var view = View(y);
        Gpu.BinaryRowBroadcast(BinaryOp.Add, view, View(bias), rows, cols, view);
    }

    /// <inheritdoc/>
    public void AddRowVectorActivation(Buf y, Buf bias, int rows, int cols, UnaryOp activation)
    {
        var view = View(y);
        Gpu.BiasActivation(activation, view, View(bias), rows, cols, view);
    }

    /// <inheritdoc/>
    public void AdamStep(Buf param, Buf grad, Buf m, Buf v, AdamSettings s, int step) =>
        Gpu.AdamStep(View(param), View(grad), View(m), View(v),
            (float)s.LearningRate, (float)s.Beta1, (float)s.Beta2, (float)s.Epsilon, (float)s.WeightDecay, s.Decoupled, step);

    /// <inheritdoc/>
    public void SgdStep(Buf param, Buf grad, Buf momentumBuffer, SgdSettings s, int step) =>
        Gpu.SgdStep(View(param), View(grad), View(momentumBuffer),
            (float)s.LearningRate, (float)s.Momentum, (float)s.Dampening, (float)s.WeightDecay, s.Nesterov, step);

    // x, t: (n) → loss: (1). The per-element losses go to a rented scratch buffer that is handed back
    // right after the sum is enqueued: the stream runs in order, so whoever rents it next writes after
    // the sum has read it.
    /// <inheritdoc/>
    public void BceWithLogitsSum(Buf logits, Buf target, Buf loss)
    {
        var scratch = _pool.Rent(logits.Length);
        var perElement = scratch.Slice(0, logits.Length);
        Gpu.BceWithLogits(View(logits), View(target), perElement);
        Gpu.Sum(perElement, View(loss));
        _pool.Return(scratch);
    }

    /// <inheritdoc/>
    public void BceWithLogitsBackward(Buf logits, Buf target, double scale, Buf grad) =>
        Gpu.BceWithLogitsBackward(View(logits), View(target), (float)scale, View(grad));

    // A new storage of this device; inside a TensorPool scope its buffer is rented and goes back at scope end.
    private GpuStorage NewStorage(int length)
    {
        var buffer = _pool.Rent(length);
        var storage = new GpuStorage(Device, buffer, length, _pool);
        // Outside a scope (parameters, optimizer state) the buffer belongs to the tensor until the
        // garbage collector drops the tensor; then the pool takes it back.
        if (!TensorPool.TryTrack(storage)) _pool.Adopt(storage, buffer);
        return storage;
    }

    private void CheckFloat32(DType dtype)
    {
        if (dtype != DType.Float32)
            throw new NotSupportedException($"{Device.Name}: {dtype.Name()} is not supported on GPU devices; use float32");
    }

    private GpuStorage Storage(Buf buf) => buf.Storage is GpuStorage gpu && gpu.Device == Device
        ? gpu
        : throw new InvalidOperationException($"{Device.Name}: a {buf.Storage.Device.Name} {buf.Storage.DType.Name()} storage reached the {Device.Name} backend");

    /// <summary>The contiguous run a <see cref="Buf"/> names, as a device view.</summary>
    private ArrayView<float> View(Buf buf) => Storage(buf).Buffer.Slice(buf.Offset, buf.Length);
}
