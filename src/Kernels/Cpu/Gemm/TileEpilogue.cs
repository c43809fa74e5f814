using System.Numerics;
using System.Runtime.CompilerServices;
using Scratch.Kernels.Cpu.Simd;

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
            // Widest vectors first, then narrower ones for what is left of the row, then one at a time.
            int j = 0;
            if (Simd512<T>.IsHardwareAccelerated) j = ApplyTo<Simd512<T>>(row, j, cols);
            if (Simd256<T>.IsHardwareAccelerated) j = ApplyTo<Simd256<T>>(row, j, cols);
            j = ApplyTo<Simd128<T>>(row, j, cols);
            for (; j < cols; j++) row[j] = Apply(row[j], Bias == null ? null : Bias + j, Activation, Slope);
        }
    }

    // row[j, cols) in whole vectors of TV, as far as they fit; returns where they stopped.
    private int ApplyTo<TV>(T* row, int j, int cols) where TV : struct, ISimd<TV, T>
    {
        for (; j + TV.Count <= cols; j += TV.Count) Apply(TV.Load(row + j), j).Store(row + j);
        return j;
    }

    // v: columns [column, column + width) of one row of the tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Apply<TV>(TV v, int column) where TV : struct, ISimd<TV, T>
    {
        if (Bias != null) v += TV.Load(Bias + column);
        if (Activation == GemmActivation.Relu)
            return TV.SelectGreater(v, TV.Zero, v, TV.SelectNaN(v, v, TV.Zero));   // -0 → +0, NaN kept
        if (Activation == GemmActivation.LeakyRelu)
            return TV.SelectGreater(v, TV.Zero, v, v * TV.Create(Slope));
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
