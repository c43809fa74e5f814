using System.Numerics;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Elementwise;

// T.Max / T.Min are IEEE 754-2019 maximum / minimum: a NaN operand wins, and +0 > -0.
// Vector512.Max on x64 is NOT that (measured on .NET 10, Zen 4): it compiles to vmaxps, which
// returns the SECOND operand when either is NaN (max(NaN, 1) = 1) and when both are zeros
// (max(+0, -0) = -0). So the IEEE rules are rebuilt around a plain compare-and-select:
//   - where a == b (this covers ±0), the bitwise AND of the two picks +0 for max and the OR picks
//     -0 for min; for equal non-zero values AND/OR give the value itself;
//   - then any NaN operand is passed through (a's NaN first, as T.Max returns val1 when it is NaN).

internal readonly struct MaxOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => T.Max(a, b);

    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T>
    {
        var m = TV.SelectGreater(a, b, a, b);
        m = TV.SelectEqual(a, b, a & b, m);
        m = TV.SelectNaN(b, b, m);
        return TV.SelectNaN(a, a, m);
    }
}

internal readonly struct MinOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => T.Min(a, b);

    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T>
    {
        var m = TV.SelectLess(a, b, a, b);
        m = TV.SelectEqual(a, b, a | b, m);
        m = TV.SelectNaN(b, b, m);
        return TV.SelectNaN(a, a, m);
    }
}
