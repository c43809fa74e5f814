namespace Scratch.Autograd;

// Max and average pooling. Max pooling saves the arg-max of every window in the forward (as
// PyTorch's indices), so its backward routes each gradient to the element that won, ties included.
public sealed partial class Variable
{
    /// <summary>x: (N, C, H, W) → (N, C, OH, OW); stride defaults to the kernel size; padding is −∞.</summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, or the kernel is larger than the padded input.</exception>
    public Variable MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null)
    {
        var shape = Tensor.PoolShape("max_pool2d", Data, kernelSize, stride ?? kernelSize, padding ?? 0);
        var (y, argmax) = Tensor.MaxPool2d(Data, kernelSize, stride, padding);
        return Record.Op("max_pool2d", y, [this], dy => [Tensor.MaxPool2dBackward(dy, argmax, shape)]);
    }

    /// <summary>x: (N, C, H, W) → (N, C, OH, OW), window means with the padding counted as zeros.</summary>
    /// <exception cref="ArgumentException">x is not 4-D, the kernel or stride is not positive, the padding exceeds half the kernel, or the kernel is larger than the padded input.</exception>
    public Variable AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null)
    {
        var shape = Tensor.PoolShape("avg_pool2d", Data, kernelSize, stride ?? kernelSize, padding ?? 0);
        var y = Tensor.AvgPool2d(Data, kernelSize, stride, padding);
        return Record.Op("avg_pool2d", y, [this], dy => [Tensor.AvgPool2dBackward(dy, shape)]);
    }
}
