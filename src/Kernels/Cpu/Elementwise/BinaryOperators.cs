using System.Numerics;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Elementwise;

// Binary operators; all exact (each lane bitwise equal to Reference.Apply). Pow has no operator:
// .NET has no vector pow, so CpuKernels runs T.Pow in a scalar loop.

internal readonly struct AddOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a + b;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => a + b;
}

internal readonly struct SubOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a - b;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => a - b;
}

internal readonly struct MulOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a * b;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => a * b;
}

internal readonly struct DivOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a / b;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => a / b;
}

/// <summary>b where a &gt; 0, else 0 (a NaN counts as not &gt; 0): the gradient of ReLU.</summary>
internal readonly struct ReluBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a > T.Zero ? b : T.Zero;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => TV.SelectGreater(a, TV.Zero, b, TV.Zero);
}

/// <summary>a where a &gt; 0, else a·b (NaN stays NaN): leaky ReLU with slope b in one pass, instead of max(a, 0) + min(a, 0)·b.</summary>
internal readonly struct LeakyReluOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a > T.Zero ? a : a * b;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => TV.SelectGreater(a, TV.Zero, a, a * b);
}

/// <summary>1 where a &gt; 0, else b: leaky ReLU's derivative, so its backward is dy·slope(x), two passes instead of four.</summary>
internal readonly struct LeakyReluSlopeOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a > T.Zero ? T.One : b;
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => TV.SelectGreater(a, TV.Zero, TV.One, b);
}
