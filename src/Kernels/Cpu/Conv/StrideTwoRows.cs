using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The phase split of one image row for the common case, stride 2 in float, eight columns at a time:
/// one load, one lane shuffle [x0 x2 x4 x6 | x1 x3 x5 x7], and the two halves stored into the two
/// phase rows; merging back is the inverse shuffle. The element-by-element loop it replaces moved one
/// float per ~2.5 cycles and took half of im2col's time at the conv VAE's 32→64 layer.
/// </summary>
/// <remarks>
/// Image column x sits at padded column x + pad: the even columns (x = 2m) go to phase pad mod 2 at
/// k = m + ⌊pad/2⌋, the odd ones to phase (pad + 1) mod 2 at k = m + ⌊(pad + 1)/2⌋. A row whose width
/// is not a multiple of 8 ends with one more block that overlaps the previous one (it rewrites the
/// same values), started at an even column so that the phases stay where they were; an odd last
/// column is moved on its own.
/// </remarks>
internal static class StrideTwoRows
{
    public static bool Applies(int width) => Vector256.IsHardwareAccelerated && width >= Vector256<float>.Count;

    // source: one image row (width) → the two phase rows of a plane row (phase φ at row + φ·phaseWidth).
    public static void Split(ref float source, int width, int pad, int phaseWidth, ref float row)
    {
        ref float evens = ref Unsafe.Add(ref row, (pad & 1) * phaseWidth + (pad >> 1));
        ref float odds = ref Unsafe.Add(ref row, ((pad + 1) & 1) * phaseWidth + ((pad + 1) >> 1));
        int x = 0;
        for (; x + 8 <= width; x += 8) SplitBlock(ref source, x, ref evens, ref odds);
        if (x < width)
        {
            SplitBlock(ref source, (width - 8) & ~1, ref evens, ref odds);
            if ((width & 1) != 0) Unsafe.Add(ref evens, (width - 1) >> 1) = Unsafe.Add(ref source, width - 1);
        }
    }

    // The two phase rows of a plane row → one image row (width), overwritten.
    public static void Merge(ref float row, int width, int pad, int phaseWidth, ref float target)
    {
        ref float evens = ref Unsafe.Add(ref row, (pad & 1) * phaseWidth + (pad >> 1));
        ref float odds = ref Unsafe.Add(ref row, ((pad + 1) & 1) * phaseWidth + ((pad + 1) >> 1));
        int x = 0;
        for (; x + 8 <= width; x += 8) MergeBlock(ref evens, ref odds, x, ref target);
        if (x < width)
        {
            MergeBlock(ref evens, ref odds, (width - 8) & ~1, ref target);
            if ((width & 1) != 0) Unsafe.Add(ref target, width - 1) = Unsafe.Add(ref evens, (width - 1) >> 1);
        }
    }

    // x[x0 … x0 + 8) → evens[x0/2 … + 4), odds[x0/2 … + 4); x0 even.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitBlock(ref float source, int x0, ref float evens, ref float odds)
    {
        var block = Vector256.Shuffle(Vector256.LoadUnsafe(ref source, (nuint)x0), Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7));
        block.GetLower().StoreUnsafe(ref evens, (nuint)(x0 >> 1));
        block.GetUpper().StoreUnsafe(ref odds, (nuint)(x0 >> 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MergeBlock(ref float evens, ref float odds, int x0, ref float target)
    {
        var pairs = Vector256.Create(Vector128.LoadUnsafe(ref evens, (nuint)(x0 >> 1)), Vector128.LoadUnsafe(ref odds, (nuint)(x0 >> 1)));
        Vector256.Shuffle(pairs, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).StoreUnsafe(ref target, (nuint)x0);
    }
}
