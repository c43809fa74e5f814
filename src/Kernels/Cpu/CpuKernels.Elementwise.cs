using System.Numerics;

namespace Scratch.Kernels.Cpu;

public static partial class CpuKernels
{
    // x: (n) → y: (n)
    public static void Unary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(op.ToString(), x.Length, y.Length, "output");
        Reference.Unary(op, x, y);
    }

    // a: (n), b: (n) → y: (n)
    public static void Binary<T>(BinaryOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(op.ToString(), a.Length, b.Length, "second input");
        CheckSameLength(op.ToString(), a.Length, y.Length, "output");
        Reference.Binary(op, a, b, y);
    }

    // a: (n), s → y: (n)
    public static void BinaryScalar<T>(BinaryOp op, ReadOnlySpan<T> a, T s, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(op.ToString(), a.Length, y.Length, "output");
        Reference.BinaryScalar(op, a, s, y);
    }

    // s, b: (n) → y: (n)
    public static void ScalarBinary<T>(BinaryOp op, T s, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(op.ToString(), b.Length, y.Length, "output");
        Reference.ScalarBinary(op, s, b, y);
    }

    public static void Clamp<T>(ReadOnlySpan<T> x, T min, T max, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength("clamp", x.Length, y.Length, "output");
        Reference.Clamp(x, min, max, y);
    }
}
