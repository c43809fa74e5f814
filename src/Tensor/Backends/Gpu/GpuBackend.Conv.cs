using ILGPU;
using Scratch.Kernels;
using Scratch.Kernels.Gpu;

namespace Scratch;

// Convolution, pooling and batch norm on the GPU: each call unwraps its buffers and enqueues the
// GpuDevice kernels (Kernels/Gpu/GpuDevice.Conv.cs, GpuDevice.Pool.cs). A convolution's two scratch
// views (the patch matrix and a channels-first copy) are rented from the pool and handed back as
// soon as the kernels are enqueued: the stream runs in order, so the next renter writes after
// these kernels have read them (the same rule as BceWithLogitsSum).
public sealed partial class GpuBackend
{
    /// <inheritdoc/>
    public void Conv2dForward(Conv2dShape shape, Buf x, Buf w, Buf? bias, Buf y) =>
        WithConvScratch(shape, (col, big) => Gpu.Conv2dForward(shape, View(x), View(w), OptionalView(bias), View(y), col, big));

    /// <inheritdoc/>
    public void Conv2dBackwardInput(Conv2dShape shape, Buf dy, Buf w, Buf dx) =>
        WithConvScratch(shape, (col, big) => Gpu.Conv2dBackwardInput(shape, View(dy), View(w), View(dx), col, big));

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(Conv2dShape shape, Buf x, Buf dy, Buf dw) =>
        WithConvScratch(shape, (col, big) => Gpu.Conv2dBackwardWeight(shape, View(x), View(dy), View(dw), col, big));

    /// <inheritdoc/>
    public void MaxPool2dForward(Pool2dShape shape, Buf x, Buf y, Buf argmax) => Gpu.MaxPool2dForward(shape, View(x), View(y), View(argmax));

    /// <inheritdoc/>
    public void MaxPool2dBackward(Pool2dShape shape, Buf dy, Buf argmax, Buf dx) => Gpu.MaxPool2dBackward(shape, View(dy), View(argmax), View(dx));

    /// <inheritdoc/>
    public void AvgPool2dForward(Pool2dShape shape, Buf x, Buf y) => Gpu.AvgPool2dForward(shape, View(x), View(y));

    /// <inheritdoc/>
    public void AvgPool2dBackward(Pool2dShape shape, Buf dy, Buf dx) => Gpu.AvgPool2dBackward(shape, View(dy), View(dx));

    /// <inheritdoc/>
    public void BatchNormStatistics(Buf x, int n, int c, int s, Buf mean, Buf variance) =>
        Gpu.BatchNormStatistics(View(x), n, c, s, View(mean), View(variance));

    /// <inheritdoc/>
    public void BatchNormApply(Buf x, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, Buf? beta, Buf y) =>
        Gpu.BatchNormApply(View(x), n, c, s, View(mean), View(invStd), OptionalView(gamma), OptionalView(beta), View(y));

    /// <inheritdoc/>
    public void BatchNormBackward(Buf x, Buf dy, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, bool training, Buf dx, Buf? dgamma, Buf? dbeta) =>
        Gpu.BatchNormBackward(View(x), View(dy), n, c, s, View(mean), View(invStd), OptionalView(gamma), training, View(dx),
            OptionalView(dgamma), OptionalView(dbeta));

    private ArrayView<float>? OptionalView(Buf? buf) => buf is { } b ? View(b) : null;

    // Rents col (C·KH·KW, N·OH·OW) and big (O, N·OH·OW), runs the enqueuing action, returns both.
    private void WithConvScratch(Conv2dShape shape, Action<ArrayView<float>, ArrayView<float>> enqueue)
    {
        var (colLength, bigLength) = GpuDevice.Conv2dScratch(shape);
        if (colLength > int.MaxValue || bigLength > int.MaxValue)
            throw new ArgumentException($"conv2d on {Device.Name}: the patch matrix of {shape} has {colLength} elements; GPU kernels index with int");
        // A rented buffer has at least one element, so an empty scratch is still a valid view.
        var col = _pool.Rent(Math.Max((int)colLength, 1));
        var big = _pool.Rent(Math.Max((int)bigLength, 1));
        try
        {
            enqueue(col.Slice(0, colLength), big.Slice(0, bigLength));
        }
        finally
        {
            _pool.Return(big);
            _pool.Return(col);
        }
    }
}
