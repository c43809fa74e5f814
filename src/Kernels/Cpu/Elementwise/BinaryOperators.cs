using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Elementwise;

// Binary operators; all exact (each lane bitwise equal to Reference.Apply). Pow has no operator:
// .NET has no vector pow, so CpuKernels runs T.Pow in a scalar loop.

public readonly struct AddOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a + b;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a + b;
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a + b;
}

public readonly struct SubOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a - b;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a - b;
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a - b;
}

public readonly struct MulOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a * b;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a * b;
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a * b;
}

public readonly struct DivOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a / b;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a / b;
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a / b;
}

/// <summary>b where a &gt; 0, else 0 (a NaN counts as not &gt; 0): the gradient of ReLU.</summary>
public readonly struct ReluBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a > T.Zero ? b : T.Zero;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => b & Vector256.GreaterThan(a, Vector256<T>.Zero);
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => b & Vector512.GreaterThan(a, Vector512<T>.Zero);
}

/// <summary>a where a &gt; 0, else a·b (NaN stays NaN): leaky ReLU with slope b in one pass, instead of max(a, 0) + min(a, 0)·b.</summary>
public readonly struct LeakyReluOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a > T.Zero ? a : a * b;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<T>.Zero), a, a * b);
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<T>.Zero), a, a * b);
}

/// <summary>1 where a &gt; 0, else b: leaky ReLU's derivative, so its backward is dy·slope(x), two passes instead of four.</summary>
public readonly struct LeakyReluSlopeOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => a > T.Zero ? T.One : b;
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<T>.Zero), Vector256<T>.One, b);
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<T>.Zero), Vector512<T>.One, b);
}
