using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The vector loops of batch normalisation, over one plane (one image's one channel, S contiguous
/// values): Vector&lt;T&gt; lanes, then a scalar tail. Sums come back in T for one plane only (at most
/// H·W values, so float keeps ~6 digits); the kernels add the planes' sums in double.
/// </summary>
internal static class BatchNormLoops
{
    // Σ x
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T p = ref MemoryMarshal.GetReference(x);
        int k = 0;
        T sum = T.Zero;
        if (Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count) acc += Vector.LoadUnsafe(ref p, (nuint)k);
            sum = Vector.Sum(acc);
        }
        for (; k < x.Length; k++) sum += Unsafe.Add(ref p, k);
        return sum;
    }

    // Σ (x − mu)²
    public static T SquaredDeviations<T>(ReadOnlySpan<T> x, T mu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T p = ref MemoryMarshal.GetReference(x);
        int k = 0;
        T sum = T.Zero;
        if (Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            var m = new Vector<T>(mu);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                var d = Vector.LoadUnsafe(ref p, (nuint)k) - m;
                acc += d * d;
            }
            sum = Vector.Sum(acc);
        }
        for (; k < x.Length; k++)
        {
            T d = Unsafe.Add(ref p, k) - mu;
            sum += d * d;
        }
        return sum;
    }

    // (Σ dy, Σ dy·(x − mu)) over x and dy of the same length.
    public static (T SumDy, T SumDyDeviation) GradientSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, T mu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dy.Length < x.Length) throw new ArgumentException("batch_norm backward: plane of dy shorter than x");
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T pg = ref MemoryMarshal.GetReference(dy);
        int k = 0;
        T sumDy = T.Zero, sumDyDev = T.Zero;
        if (Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            Vector<T> accDy = Vector<T>.Zero, accDev = Vector<T>.Zero, m = new(mu);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                var g = Vector.LoadUnsafe(ref pg, (nuint)k);
                accDy += g;
                accDev += g * (Vector.LoadUnsafe(ref px, (nuint)k) - m);
            }
            (sumDy, sumDyDev) = (Vector.Sum(accDy), Vector.Sum(accDev));
        }
        for (; k < x.Length; k++)
        {
            T g = Unsafe.Add(ref pg, k);
            sumDy += g;
            sumDyDev += g * (Unsafe.Add(ref px, k) - mu);
        }
        return (sumDy, sumDyDev);
    }

    // y = a·x + b (y may be x).
    public static void Affine<T>(ReadOnlySpan<T> x, T a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw new ArgumentException("batch_norm: output plane shorter than input");
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        int k = 0;
        if (Vector<T>.IsSupported)
        {
            Vector<T> va = new(a), vb = new(b);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
                (Vector.LoadUnsafe(ref px, (nuint)k) * va + vb).StoreUnsafe(ref py, (nuint)k);
        }
        for (; k < x.Length; k++) Unsafe.Add(ref py, k) = Unsafe.Add(ref px, k) * a + b;
    }

    // dx = a·dy + b·(x − mu) + c
    public static void InputGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, T mu, T a, T b, T c, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dy.Length < x.Length || dx.Length < x.Length) throw new ArgumentException("batch_norm backward: planes of different lengths");
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T pg = ref MemoryMarshal.GetReference(dy);
        ref T pd = ref MemoryMarshal.GetReference(dx);
        int k = 0;
        if (Vector<T>.IsSupported)
        {
            Vector<T> vm = new(mu), va = new(a), vb = new(b), vc = new(c);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
                (va * Vector.LoadUnsafe(ref pg, (nuint)k) + vb * (Vector.LoadUnsafe(ref px, (nuint)k) - vm) + vc).StoreUnsafe(ref pd, (nuint)k);
        }
        for (; k < x.Length; k++) Unsafe.Add(ref pd, k) = a * Unsafe.Add(ref pg, k) + b * (Unsafe.Add(ref px, k) - mu) + c;
    }
}
