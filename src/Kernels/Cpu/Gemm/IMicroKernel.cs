using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The innermost piece of the GEMM: one MR × NR tile of C computed from a packed micro-panel
/// of A (kc × MR, column p of the tile's rows stored together) and one of B (kc × NR, row p of
/// the tile's columns stored together). Everything else in the Gemm folder exists to feed this
/// function from cache.
/// </summary>
/// <remarks>
/// A struct implementing static abstract members (not a delegate) so the JIT compiles one
/// specialized copy of the driver per kernel and inlines nothing through a function pointer.
/// </remarks>
internal interface IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of C per tile (the broadcast side: packed A).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per tile (the vector side: packed B).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// tile = Σ_p a[p, 0..MR) ⊗ b[p, 0..NR), then C = alpha·tile + beta·C, or C = alpha·tile
    /// when <paramref name="overwrite"/> (beta = 0: C's old values, even NaN, are never read).
    /// </summary>
    // a: (kc, MR) packed, b: (kc, NR) packed, c: (MR, NR) with row stride ldc
    static abstract unsafe void Run(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, bool overwrite);
}

/// <summary>Fused multiply-add on generic vectors: one rounding, like the hardware's FMA.</summary>
internal static class VectorMath
{
    // The typeof(T) tests are constants in each specialized copy, so only one line survives JIT.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not float or double.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma<T>(Vector128<T> x, Vector128<T> y, Vector128<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not float or double.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not float or double.");
    }
}
