using ILGPU;
using Scratch.Kernels;

namespace Scratch;

// Convolution, pooling and batch norm on the GPU: unwrap the buffers, launch GpuDevice's direct kernels.
public sealed partial class GpuBackend
{
    public void Conv2dForward(Conv2dShape shape, Buf x, Buf w, Buf? bias, Buf y) =>
        Gpu.Conv2dForward(shape, View(x), View(w), bias is { } b ? View(b) : default, View(y));

    public void Conv2dBackwardInput(Conv2dShape shape, Buf dy, Buf w, Buf dx) => Gpu.Conv2dBackwardInput(shape, View(dy), View(w), View(dx));

    public void Conv2dBackwardWeight(Conv2dShape shape, Buf x, Buf dy, Buf dw) => Gpu.Conv2dBackwardWeight(shape, View(x), View(dy), View(dw));

    public void MaxPool2dForward(Pool2dShape shape, Buf x, Buf y, Buf argmax) => Gpu.MaxPool2dForward(shape, View(x), View(y), View(argmax));

    public void MaxPool2dBackward(Pool2dShape shape, Buf dy, Buf argmax, Buf dx) => Gpu.MaxPool2dBackward(shape, View(dy), View(argmax), View(dx));

    public void AvgPool2dForward(Pool2dShape shape, Buf x, Buf y) => Gpu.AvgPool2dForward(shape, View(x), View(y));

    public void AvgPool2dBackward(Pool2dShape shape, Buf dy, Buf dx) => Gpu.AvgPool2dBackward(shape, View(dy), View(dx));

    public void BatchNormStatistics(Buf x, int n, int c, int s, Buf mean, Buf variance) =>
        Gpu.BatchNormStatistics(View(x), n, c, s, View(mean), View(variance));

    public void BatchNormApply(Buf x, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, Buf? beta, Buf y) =>
        Gpu.BatchNormApply(View(x), n, c, s, View(mean), View(invStd), gamma is { } g ? View(g) : default, beta is { } b ? View(b) : default, View(y));

    // The device kernel always writes dγ and dβ; scratch buffers stand in when the caller needs neither.
    public void BatchNormBackward(Buf x, Buf dy, int n, int c, int s, Buf mean, Buf invStd, Buf? gamma, bool training, Buf dx, Buf? dgamma, Buf? dbeta)
    {
        Storage? scratch = dgamma is null || dbeta is null ? Allocate(DType.Float32, 2 * c) : null;
        var dg = dgamma is { } g1 ? View(g1) : View(new Buf(scratch!, 0, c));
        var db = dbeta is { } b1 ? View(b1) : View(new Buf(scratch!, c, c));
        Gpu.BatchNormBackward(View(x), View(dy), n, c, s, View(mean), View(invStd), gamma is { } g ? View(g) : default, training, View(dx), dg, db);
    }
}
