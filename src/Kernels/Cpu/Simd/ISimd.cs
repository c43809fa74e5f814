using System.Numerics;

namespace Scratch.Kernels.Cpu.Simd;

/// <summary>
/// One SIMD vector of T at one width, as a type parameter: a kernel written once as
/// <c>Loop&lt;TV&gt;</c> where TV : ISimd&lt;TV, T&gt; runs at 128, 256 or 512 bits, and the JIT
/// compiles a separate copy per width struct (<see cref="Simd128{T}"/>, <see cref="Simd256{T}"/>,
/// <see cref="Simd512{T}"/>) in which every call below is the one Vector128/256/512 instruction it
/// wraps. Each kernel's entry picks the width once, by its own rule (the widest the machine runs,
/// or a narrower one for spans shorter than a vector), and calls the one loop with it.
/// </summary>
/// <remarks>
/// .NET has this interface internally (System.Runtime.Intrinsics.ISimdVector) but does not expose it,
/// so the three structs below wrap Vector128/256/512 themselves. Only operations that are exactly
/// the Vector* ones are here, so a kernel moved onto this interface computes the same bits per lane.
/// </remarks>
internal interface ISimd<TSelf, T>
    where TSelf : struct, ISimd<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether this width runs as hardware vectors here (a JIT-time constant).</summary>
    static abstract bool IsHardwareAccelerated { get; }
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }
    /// <summary>0, 1, …, Count − 1.</summary>
    static abstract TSelf Indices { get; }
    static abstract TSelf Create(T value);

    static abstract TSelf Load(ref T source, nuint offset);
    static abstract unsafe TSelf Load(T* source);
    void Store(ref T destination, nuint offset);
    unsafe void Store(T* destination);
    T this[int lane] { get; }

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf x);
    static abstract TSelf operator &(TSelf a, TSelf b);
    static abstract TSelf operator |(TSelf a, TSelf b);

    // x where the lane's condition holds, else y. Compare and select are one call so that on AVX-512
    // the condition stays in a mask register (see Simd512); kernels use these rather than a mask value.
    static abstract TSelf SelectGreater(TSelf a, TSelf b, TSelf x, TSelf y);   // where a > b
    static abstract TSelf SelectLess(TSelf a, TSelf b, TSelf x, TSelf y);      // where a < b
    static abstract TSelf SelectEqual(TSelf a, TSelf b, TSelf x, TSelf y);     // where a == b
    static abstract TSelf SelectNaN(TSelf v, TSelf x, TSelf y);                // where v is NaN
    /// <summary>A mask, all ones in the lanes where a &lt; b: for a mask computed once, outside a loop.</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);
    /// <summary>a where mask is set, else b, bit by bit.</summary>
    static abstract TSelf ConditionalSelect(TSelf mask, TSelf a, TSelf b);

    static abstract TSelf Sqrt(TSelf x);
    static abstract TSelf Abs(TSelf x);
    /// <summary>The hardware max (vmaxps on x64): NOT IEEE on NaN or ±0, see MaxOperator for that.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);
    /// <summary>The lanes added up (in the order Vector*.Sum adds them).</summary>
    static abstract T Sum(TSelf x);

    /// <summary>
    /// Vector exp and log: .NET has them for float and double only (within 2 ulps of Math.Exp/Log on
    /// our tests), so T is tested in the implementation and the JIT folds the test per instantiation.
    /// </summary>
    static abstract TSelf Exp(TSelf x);
    static abstract TSelf Log(TSelf x);
    /// <summary>a·b + c with one rounding, bitwise equal to T.FusedMultiplyAdd per lane (in software without an FMA unit).</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);
}
