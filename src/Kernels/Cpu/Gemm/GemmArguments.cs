namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// The argument checks of <see cref="CpuKernels.Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>, done once before any pointer is
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

    // The fusions' vectors: each empty (not used) or exactly as long as the dimension it runs along.
    public static void CheckOptions<T>(int m, int n, in GemmOptions<T> options) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        CheckVector("bias", options.ColumnBias.Length, n, "n (one per column of C)", m, n);
        CheckVector("row sums of A", options.RowSumsOfA.Length, m, "m (one per row of op(A))", m, n);
        CheckVector("column sums of B", options.ColumnSumsOfB.Length, n, "n (one per column of op(B))", m, n);
        if (!Enum.IsDefined(options.Activation))
            throw new ArgumentException($"gemm: activation {(int)options.Activation} is not a GemmActivation.");
    }

    private static void CheckVector(string name, int length, int needed, string what, int m, int n)
    {
        if (length != 0 && length != needed)
            throw new ArgumentException($"gemm: the {name} have length {length}, must be {needed} = {what} for m = {m}, n = {n} (or empty for none).");
    }
}
