using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

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

    /// <summary>The vector type and register tile, for diagnostics: "Vector512, 12 x 32".</summary>
    static abstract string Name { get; }

    /// <summary>
    /// tile = Σ_p a[p, 0..MR) ⊗ b[p, 0..NR), then C = alpha·tile + beta·C, or C = alpha·tile
    /// when <paramref name="overwrite"/> (beta = 0: C's old values, even NaN, are never read);
    /// then the <paramref name="epilogue"/> (bias, activation) on each value as it is stored.
    /// </summary>
    // a: (kc, MR) packed, b: (kc, NR) packed, c: (MR, NR) with row stride ldc
    static abstract unsafe void Run(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, bool overwrite, in TileEpilogue<T> epilogue);
}

/// <summary>
/// x·y + z on generic vectors and scalars, fused (one rounding) wherever the hardware has FMA.
/// </summary>
/// <remarks>
/// Without an FMA instruction (x64 before Haswell, or with AVX2 switched off) .NET computes a
/// fused multiply-add in software, hundreds of times slower; there the GEMM multiplies then adds
/// (two roundings). Scalar and vector paths follow the same rule, so edge tiles and full tiles
/// still round alike.
/// </remarks>
internal static class VectorMath
{
    // JIT-time constants: each specialized kernel keeps only one of the two code paths.
    public static bool HasFma => System.Runtime.Intrinsics.X86.Fma.IsSupported || AdvSimd.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MulAdd<T>(T x, T y, T z) where T : IFloatingPointIeee754<T> =>
        HasFma ? T.FusedMultiplyAdd(x, y, z) : x * y + z;

    // The typeof(T) tests are constants in each specialized copy, so only one line survives JIT.
    // Without FMA the multiply and add stay in this one expression: the typeof branches of Fused
    // reinterpret their arguments (AsSingle), and when they were inlined into the same method
    // the JIT kept x, y and z in stack slots on the no-FMA path (128-bit kernel: 10 GFLOP/s).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z) =>
        HasFma ? Fused(x, y, z) : x * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fused<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not float or double.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma<T>(Vector128<T> x, Vector128<T> y, Vector128<T> z) =>
        HasFma ? Fused(x, y, z) : x * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fused<T>(Vector128<T> x, Vector128<T> y, Vector128<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not float or double.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z) =>
        HasFma ? Fused(x, y, z) : x * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fused<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not float or double.");
    }
}
