using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Copying and adding the short runs that im2col and col2im are made of: `rows` runs of `length`
/// elements, `step` apart on the plane side and back to back on the patch-matrix side. The runs are
/// short (OW = 7 or 14 at the conv VAE), so what decides the speed is the work per run, which here
/// is a vector load and store and nothing else; the partial vector at each run's end is handled
/// without a scalar loop:
/// - Copy writes it whole: the lanes past the run land where the caller writes next (it fills its
///   destination front to back), so they are overwritten.
/// - Add cannot overwrite its neighbours, so it adds −0 in the lanes past the run: x + (−0) is x for
///   every x, +0 and −0 included, so the neighbours keep their bits.
/// Only where the patch matrix ends (no room for a whole vector) does a run go one element at a time.
/// Vector256 where the machine has it (8 floats: a run of 7 is one vector), else Vector128, else scalar.
/// </summary>
internal static class Runs
{
    /// <summary>Elements a reader or writer of runs may touch past the last run on the plane side.</summary>
    public static int Slack<T>() => Vector256<T>.Count;

    // dst (rows·length, contiguous) = the runs src[r·step, r·step + length); dst has `room` writable
    // elements (≥ rows·length); src may be read up to Slack past each run.
    public static void Copy<T>(ref T src, nint step, ref T dst, int length, int rows, nint room) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = 0;
        if (Simd256<T>.IsHardwareAccelerated) r = Copy<T, Simd256<T>>(ref src, step, ref dst, length, rows, room);
        else if (Simd128<T>.IsHardwareAccelerated) r = Copy<T, Simd128<T>>(ref src, step, ref dst, length, rows, room);
        src = ref Unsafe.Add(ref src, r * step);
        dst = ref Unsafe.Add(ref dst, (nint)r * length);
        for (; r < rows; r++, src = ref Unsafe.Add(ref src, step), dst = ref Unsafe.Add(ref dst, length))
            for (int j = 0; j < length; j++) Unsafe.Add(ref dst, j) = Unsafe.Add(ref src, j);
    }

    // The first rows, whole vectors each, as far as dst has room; returns how many rows it copied.
    private static int Copy<T, TV>(ref T src, nint step, ref T dst, int length, int rows, nint room)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int width = TV.Count, vectors = (length + width - 1) / width;
        // Row r writes dst[r·length, r·length + vectors·width): the rows for which that fits.
        int fast = FittingRows(room - vectors * width, length, rows);
        for (int r = 0; r < fast; r++, src = ref Unsafe.Add(ref src, step), dst = ref Unsafe.Add(ref dst, length))
            for (int v = 0, j = 0; v < vectors; v++, j += width)
                TV.Load(ref src, (nuint)j).Store(ref dst, (nuint)j);
        return fast;
    }

    // The runs dst[r·step, r·step + length) += src (rows·length, contiguous); src has `available`
    // readable elements (≥ rows·length); dst may be read and written up to Slack past each run.
    public static void Add<T>(ref T src, nint available, ref T dst, nint step, int length, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = 0;
        if (Simd256<T>.IsHardwareAccelerated) r = Add<T, Simd256<T>>(ref src, available, ref dst, step, length, rows);
        else if (Simd128<T>.IsHardwareAccelerated) r = Add<T, Simd128<T>>(ref src, available, ref dst, step, length, rows);
        src = ref Unsafe.Add(ref src, (nint)r * length);
        dst = ref Unsafe.Add(ref dst, r * step);
        for (; r < rows; r++, src = ref Unsafe.Add(ref src, length), dst = ref Unsafe.Add(ref dst, step))
            for (int j = 0; j < length; j++) Unsafe.Add(ref dst, j) += Unsafe.Add(ref src, j);
    }

    // The first rows, whole vectors each, as far as src can be read; returns how many rows it added.
    private static int Add<T, TV>(ref T src, nint available, ref T dst, nint step, int length, int rows)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int width = TV.Count, whole = length / width * width;
        // A partial last vector reads src[r·length + whole, … + width): the rows for which that fits.
        int fast = whole == length ? rows : FittingRows(available - whole - width, length, rows);
        var inRun = TV.LessThan(TV.Indices, TV.Create(T.CreateTruncating(length - whole)));
        var negativeZero = TV.Create(T.NegativeZero);
        for (int r = 0; r < fast; r++, src = ref Unsafe.Add(ref src, length), dst = ref Unsafe.Add(ref dst, step))
        {
            int j = 0;
            for (; j < whole; j += width)
                (TV.Load(ref dst, (nuint)j) + TV.Load(ref src, (nuint)j)).Store(ref dst, (nuint)j);
            if (j < length)
            {
                var add = TV.ConditionalSelect(inRun, TV.Load(ref src, (nuint)j), negativeZero);
                (TV.Load(ref dst, (nuint)j) + add).Store(ref dst, (nuint)j);
            }
        }
        return fast;
    }

    // How many rows r = 0, 1, … satisfy r·length ≤ limit (none when limit < 0), at most rows.
    private static int FittingRows(nint limit, int length, int rows) =>
        limit < 0 ? 0 : (int)Math.Min(limit / Math.Max(length, 1) + 1, rows);
}
