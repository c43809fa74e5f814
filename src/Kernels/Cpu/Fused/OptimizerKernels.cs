using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Fused;

/// <summary>
/// Vector loops for the in-place update kernels (axpy, Adam, SGD). Each lane does exactly the
/// operations of its FusedReference loop, in the same order, so results are bitwise equal.
/// Unlike ElementwiseLoops, the tail is NOT an overlapping last vector: these kernels read and
/// write the same buffers (p, m, v), so re-running an element would apply the update twice.
/// The leftover elements go through the reference loop itself.
/// </summary>
internal static class OptimizerKernels
{
    // x: (n), y: (n); y = fma(x, alpha, y)
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Simd512<T>.IsHardwareAccelerated) i = Axpy<T, Simd512<T>>(alpha, x, y);
        else if (Simd256<T>.IsHardwareAccelerated) i = Axpy<T, Simd256<T>>(alpha, x, y);
        FusedReference.Axpy(alpha, x[i..], y[i..]);
    }

    // The whole vectors; returns where the reference loop takes over.
    private static int Axpy<T, TV>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        var a = TV.Create(alpha);
        for (; i <= n - TV.Count; i += TV.Count)
            TV.FusedMultiplyAdd(TV.Load(ref xr, (nuint)i), a, TV.Load(ref yr, (nuint)i)).Store(ref yr, (nuint)i);
        return i;
    }

    public static void Adam<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v,
        T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = AdamScalars<T>.From(lr, beta1, beta2, eps, weightDecay, decoupled, step);
        int i = 0;
        if (Simd512<T>.IsHardwareAccelerated) i = Adam<T, Simd512<T>>(param, grad, m, v, k);
        else if (Simd256<T>.IsHardwareAccelerated) i = Adam<T, Simd256<T>>(param, grad, m, v, k);
        FusedReference.AdamStep(param[i..], grad[i..], m[i..], v[i..], lr, beta1, beta2, eps, weightDecay, decoupled, step);
    }

    private static int Adam<T, TV>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, in AdamScalars<T> k)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int n = param.Length, i = 0;
        ref T pr = ref MemoryMarshal.GetReference(param);
        ref T gr = ref MemoryMarshal.GetReference(grad);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);
        var wd = TV.Create(k.WeightDecay);
        var decay = TV.Create(k.DecayFactor);
        var lerpC = TV.Create(k.LerpCoefficient);
        var b2 = TV.Create(k.Beta2);
        var c2 = TV.Create(k.OneMinusBeta2);
        var bc2 = TV.Create(k.BiasCorrection2Sqrt);
        var e = TV.Create(k.Eps);
        var negStep = TV.Create(k.NegStepSize);
        bool l2 = k.L2, decoupled = k.Decoupled, lerpFromStart = k.LerpFromStart;
        for (; i <= n - TV.Count; i += TV.Count)
        {
            var p = TV.Load(ref pr, (nuint)i);
            var g = TV.Load(ref gr, (nuint)i);
            var mv = TV.Load(ref mr, (nuint)i);
            var vv = TV.Load(ref vr, (nuint)i);
            if (l2) g = TV.FusedMultiplyAdd(p, wd, g);
            if (decoupled) p *= decay;
            mv = TV.FusedMultiplyAdd(lerpC, g - mv, lerpFromStart ? mv : g);
            vv = vv * b2 + (c2 * g) * g;
            var denom = TV.Sqrt(vv) / bc2 + e;
            p += (negStep * mv) / denom;
            mv.Store(ref mr, (nuint)i);
            vv.Store(ref vr, (nuint)i);
            p.Store(ref pr, (nuint)i);
        }
        return i;
    }

    public static void Sgd<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> buffer,
        T lr, T momentum, T dampening, T weightDecay, bool nesterov, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // AVX2-only machines take the scalar loop: SGD is memory-bound, the loop is already near the bandwidth.
        int i = Simd512<T>.IsHardwareAccelerated ? Sgd<T, Simd512<T>>(param, grad, buffer, lr, momentum, dampening, weightDecay, nesterov, step) : 0;
        var rest = momentum != T.Zero ? buffer[i..] : buffer;
        FusedReference.SgdStep(param[i..], grad[i..], rest, lr, momentum, dampening, weightDecay, nesterov, step);
    }

    private static int Sgd<T, TV>(Span<T> param, ReadOnlySpan<T> grad, Span<T> buffer,
        T lr, T momentum, T dampening, T weightDecay, bool nesterov, int step)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimd<TV, T>
    {
        int n = param.Length, i = 0;
        var negLr = TV.Create(-lr);
        var mom = TV.Create(momentum);
        var oneMinusDamp = TV.Create(T.CreateTruncating(1.0 - double.CreateTruncating(dampening)));
        var wd = TV.Create(weightDecay);
        bool useWd = weightDecay != T.Zero, useMomentum = momentum != T.Zero, first = step == 1;
        ref T pr = ref MemoryMarshal.GetReference(param);
        ref T gr = ref MemoryMarshal.GetReference(grad);
        ref T br = ref MemoryMarshal.GetReference(buffer);
        for (; i <= n - TV.Count; i += TV.Count)
        {
            var p = TV.Load(ref pr, (nuint)i);
            var g = TV.Load(ref gr, (nuint)i);
            if (useWd) g = TV.FusedMultiplyAdd(p, wd, g);
            if (useMomentum)
            {
                var buf = first ? g : TV.FusedMultiplyAdd(g, oneMinusDamp, TV.Load(ref br, (nuint)i) * mom);
                buf.Store(ref br, (nuint)i);
                g = nesterov ? TV.FusedMultiplyAdd(buf, mom, g) : buf;
            }
            TV.FusedMultiplyAdd(g, negLr, p).Store(ref pr, (nuint)i);
        }
        return i;
    }
}
