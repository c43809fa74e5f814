namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The argument checks of <see cref="CpuKernels.Gemm{T}"/>, done once before any pointer is
/// taken: a wrong size or leading dimension becomes an ArgumentException that names gemm and
/// the shapes, never an access violation or a silently wrong C.
/// </summary>
internal static class GemmArguments
{
    public static void Check(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"gemm: sizes must not be negative, got m = {m}, n = {n}, k = {k}.");

        // Stored shapes: A is (m, k), or (k, m) when transposed; B is (k, n), or (n, k).
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        CheckMatrix("A", transA, aRows, aCols, aLength, lda, "lda", m, n, k);
        CheckMatrix("B", transB, bRows, bCols, bLength, ldb, "ldb", m, n, k);
        CheckMatrix("C", false, m, n, cLength, ldc, "ldc", m, n, k);
    }

    private static void CheckMatrix(string name, bool transposed, int rows, int cols, int length,
        int ld, string ldName, int m, int n, int k)
    {
        // The message is built only on failure: a GEMM in a training loop must not allocate.
        string Shape() => $"{name} is stored ({rows}, {cols}){(transposed ? " (transposed)" : "")} for m = {m}, n = {n}, k = {k}";
        if (ld < cols || ld < 0)
            throw new ArgumentException($"gemm: {ldName} = {ld} is smaller than the {cols} columns of {name}: {Shape()}.");
        // Row i starts at i·ld; the last row needs only its `cols` elements, not a full ld.
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"gemm: {name} has length {length}, needs at least {needed}: {Shape()}, {ldName} = {ld}.");
    }
}
