namespace Scratch;

/// <summary>
/// The element type of a tensor. float32 is the fast path everywhere; float64 exists so that
/// gradient checks can run in double precision, as trusted frameworks do.
/// </summary>
public enum DType
{
    /// <summary>32-bit IEEE float: the type of training and inference; the only dtype GPU devices support.</summary>
    Float32,
    /// <summary>64-bit IEEE float: for gradient checks and reference computations on the CPU.</summary>
    Float64,
}

/// <summary>Sizes and names of <see cref="DType"/> values, as used in files and messages.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element: 4 for float32, 8 for float64.</summary>
    public static int ByteSize(this DType dtype) => dtype == DType.Float32 ? 4 : 8;

    /// <summary>The name used in messages and files: "float32" or "float64".</summary>
    public static string Name(this DType dtype) => dtype == DType.Float32 ? "float32" : "float64";

    /// <summary>The dtype named "float32" or "float64" (the inverse of <see cref="Name"/>; case-sensitive).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is neither "float32" nor "float64".</exception>
    public static DType Parse(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        _ => throw new ArgumentException($"unknown dtype '{name}' (expected float32 or float64)"),
    };

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : throw new NotSupportedException($"element type {typeof(T).Name} is not a Scratch dtype (float or double)");
}
