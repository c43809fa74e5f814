using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The epilogue a micro-kernel applies to one row of its tile as it stores it, on the last k
/// block only: c = act(c + bias[column]). The value is first computed exactly as without an
/// epilogue (alpha·acc, + beta·C), so the fused result is bitwise the unfused GEMM followed by
/// the bias add and the activation. <c>default</c> is "nothing": the earlier k blocks pass it.
/// </summary>
internal readonly unsafe struct TileEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The bias of the tile's first column, or null for no bias.</summary>
    public T* Bias { get; init; }
    public GemmActivation Activation { get; init; }
    public T Slope { get; init; }

    public bool IsNothing
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Bias == null && Activation == GemmActivation.Identity;
    }

    /// <summary>The same epilogue for the tile whose first column is <paramref name="columns"/> further right.</summary>
    public TileEpilogue<T> Shifted(int columns) => this with { Bias = Bias == null ? null : Bias + columns };

    /// <summary>
    /// c[i, j] = act(c[i, j] + bias[j]) over a stored region (rows, cols) of C, row stride ldc —
    /// a tile just written, still in L1. The bias runs along the region's columns: the tile's own
    /// columns, or for a transposed C (the narrow-N path) the tile's rows, which are then C's columns.
    /// </summary>
    public void ApplyTo(T* c, int ldc, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            T* row = c + (long)i * ldc;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j + Vector512<T>.Count <= cols; j += Vector512<T>.Count) Apply(Vector512.Load(row + j), j).Store(row + j);
            if (Vector256.IsHardwareAccelerated)
                for (; j + Vector256<T>.Count <= cols; j += Vector256<T>.Count) Apply(Vector256.Load(row + j), j).Store(row + j);
            for (; j + Vector128<T>.Count <= cols; j += Vector128<T>.Count) Apply(Vector128.Load(row + j), j).Store(row + j);
            for (; j < cols; j++) row[j] = Apply(row[j], Bias == null ? null : Bias + j, Activation, Slope);
        }
    }

    // v: columns [column, column + width) of one row of the tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Apply(Vector512<T> v, int column)
    {
        if (Bias != null) v += Vector512.Load(Bias + column);
        if (Activation == GemmActivation.Relu)
            return v & (Vector512.GreaterThan(v, Vector512<T>.Zero) | Vector512.IsNaN(v));   // -0 → +0, NaN kept
        if (Activation == GemmActivation.LeakyRelu)
            return Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<T>.Zero), v, v * Vector512.Create(Slope));
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Apply(Vector256<T> v, int column)
    {
        if (Bias != null) v += Vector256.Load(Bias + column);
        if (Activation == GemmActivation.Relu)
            return v & (Vector256.GreaterThan(v, Vector256<T>.Zero) | Vector256.IsNaN(v));
        if (Activation == GemmActivation.LeakyRelu)
            return Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<T>.Zero), v, v * Vector256.Create(Slope));
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Apply(Vector128<T> v, int column)
    {
        if (Bias != null) v += Vector128.Load(Bias + column);
        if (Activation == GemmActivation.Relu)
            return v & (Vector128.GreaterThan(v, Vector128<T>.Zero) | Vector128.IsNaN(v));
        if (Activation == GemmActivation.LeakyRelu)
            return Vector128.ConditionalSelect(Vector128.GreaterThan(v, Vector128<T>.Zero), v, v * Vector128.Create(Slope));
        return v;
    }

    /// <summary>The scalar form, for edge tiles; <paramref name="bias"/> is this element's bias (zero when none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply(T v, T* bias, GemmActivation activation, T slope)
    {
        if (bias != null) v += *bias;
        return Activate(v, activation, slope);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Activate(T v, GemmActivation activation, T slope) =>
        activation switch
        {
            GemmActivation.Relu => v > T.Zero || T.IsNaN(v) ? v : T.Zero,
            GemmActivation.LeakyRelu => v > T.Zero ? v : v * slope,
            _ => v,
        };
}
