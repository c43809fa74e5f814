using Scratch.Kernels.Cpu.Gemm;

namespace Scratch.Kernels.Tests;

// The packing transpose against its definition, dst[p·dstStride + r] = src[r·ld + p]: every row
// count from 1 to 17 (whole 8-row groups, and the last group of 1..7 rows that goes through the
// registers with zeros for the missing rows), counts on and off the 8-column blocks, and a
// destination stride wider than the rows (the AVX2 kernel's 6-row panel written with stride 6,
// the AVX-512 kernel's 12). Every slot the definition does not name keeps its sentinel: the
// partial stores of the last group must not spill into the next packed column.
public class Transpose8x8Tests
{
    private const float Sentinel = -12345.5f;

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (int rows in Enumerable.Range(1, 17))
            foreach (int count in new[] { 1, 7, 8, 9, 16, 20 })
                foreach (int extraStride in new[] { 0, 3 })
                    yield return new TestCaseData(rows, count, extraStride).SetName($"Transpose8x8({rows} rows, {count} columns, stride +{extraStride})");
    }

    [TestCaseSource(nameof(Cases))]
    public unsafe void Strided_MatchesDefinition_WritesNothingElse(int rows, int count, int extraStride)
    {
        int ld = count + 5;                          // a source row longer than what is read
        long dstStride = rows + extraStride;
        var rng = new Random(rows * 100 + count);
        var src = new float[rows * ld];
        for (int i = 0; i < src.Length; i++) src[i] = (float)(rng.NextDouble() * 2 - 1);
        var dst = new float[count * dstStride + 8];  // 8 guard slots past the last column
        Array.Fill(dst, Sentinel);

        fixed (float* s = src, d = dst)
            Transpose8x8.Strided(s, ld, rows, count, d, dstStride);

        for (int p = 0; p < count; p++)
            for (int r = 0; r < dstStride; r++)
            {
                float expected = r < rows ? src[r * ld + p] : Sentinel;
                Assert.That(dst[p * dstStride + r], Is.EqualTo(expected), $"dst[{p}·{dstStride} + {r}]");
            }
        for (long i = count * dstStride; i < dst.Length; i++)
            Assert.That(dst[i], Is.EqualTo(Sentinel), $"guard slot {i}");
    }
}
