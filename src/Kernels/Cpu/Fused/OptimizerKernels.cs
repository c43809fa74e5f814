using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu.Elementwise;

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
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(alpha);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                VectorMath.Fma(Vector512.LoadUnsafe(ref xr, (nuint)i), a, Vector512.LoadUnsafe(ref yr, (nuint)i))
                    .StoreUnsafe(ref yr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(alpha);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                VectorMath.Fma(Vector256.LoadUnsafe(ref xr, (nuint)i), a, Vector256.LoadUnsafe(ref yr, (nuint)i))
                    .StoreUnsafe(ref yr, (nuint)i);
        }
        FusedReference.Axpy(alpha, x[i..], y[i..]);
    }

    public static void Adam<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> m, Span<T> v,
        T lr, T beta1, T beta2, T eps, T weightDecay, bool decoupled, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = AdamScalars<T>.From(lr, beta1, beta2, eps, weightDecay, decoupled, step);
        int n = param.Length, i = 0;
        ref T pr = ref MemoryMarshal.GetReference(param);
        ref T gr = ref MemoryMarshal.GetReference(grad);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);

        if (Vector512.IsHardwareAccelerated)
        {
            var wd = Vector512.Create(k.WeightDecay);
            var decay = Vector512.Create(k.DecayFactor);
            var lerpC = Vector512.Create(k.LerpCoefficient);
            var b2 = Vector512.Create(k.Beta2);
            var c2 = Vector512.Create(k.OneMinusBeta2);
            var bc2 = Vector512.Create(k.BiasCorrection2Sqrt);
            var e = Vector512.Create(k.Eps);
            var step512 = Vector512.Create(k.NegStepSize);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var p = Vector512.LoadUnsafe(ref pr, (nuint)i);
                var g = Vector512.LoadUnsafe(ref gr, (nuint)i);
                var mv = Vector512.LoadUnsafe(ref mr, (nuint)i);
                var vv = Vector512.LoadUnsafe(ref vr, (nuint)i);
                if (k.L2) g = VectorMath.Fma(p, wd, g);
                if (k.Decoupled) p *= decay;
                mv = VectorMath.Fma(lerpC, g - mv, k.LerpFromStart ? mv : g);
                vv = vv * b2 + (c2 * g) * g;
                var denom = Vector512.Sqrt(vv) / bc2 + e;
                p += (step512 * mv) / denom;
                mv.StoreUnsafe(ref mr, (nuint)i);
                vv.StoreUnsafe(ref vr, (nuint)i);
                p.StoreUnsafe(ref pr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var wd = Vector256.Create(k.WeightDecay);
            var decay = Vector256.Create(k.DecayFactor);
            var lerpC = Vector256.Create(k.LerpCoefficient);
            var b2 = Vector256.Create(k.Beta2);
            var c2 = Vector256.Create(k.OneMinusBeta2);
            var bc2 = Vector256.Create(k.BiasCorrection2Sqrt);
            var e = Vector256.Create(k.Eps);
            var step256 = Vector256.Create(k.NegStepSize);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var p = Vector256.LoadUnsafe(ref pr, (nuint)i);
                var g = Vector256.LoadUnsafe(ref gr, (nuint)i);
                var mv = Vector256.LoadUnsafe(ref mr, (nuint)i);
                var vv = Vector256.LoadUnsafe(ref vr, (nuint)i);
                if (k.L2) g = VectorMath.Fma(p, wd, g);
                if (k.Decoupled) p *= decay;
                mv = VectorMath.Fma(lerpC, g - mv, k.LerpFromStart ? mv : g);
                vv = vv * b2 + (c2 * g) * g;
                var denom = Vector256.Sqrt(vv) / bc2 + e;
                p += (step256 * mv) / denom;
                mv.StoreUnsafe(ref mr, (nuint)i);
                vv.StoreUnsafe(ref vr, (nuint)i);
                p.StoreUnsafe(ref pr, (nuint)i);
            }
        }
        FusedReference.AdamStep(param[i..], grad[i..], m[i..], v[i..], lr, beta1, beta2, eps, weightDecay, decoupled, step);
    }

    public static void Sgd<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> buffer,
        T lr, T momentum, T dampening, T weightDecay, bool nesterov, int step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = param.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var negLr = Vector512.Create(-lr);
            var mom = Vector512.Create(momentum);
            var oneMinusDamp = Vector512.Create(T.CreateTruncating(1.0 - double.CreateTruncating(dampening)));
            var wd = Vector512.Create(weightDecay);
            bool useWd = weightDecay != T.Zero, useMomentum = momentum != T.Zero, first = step == 1;
            ref T pr = ref MemoryMarshal.GetReference(param);
            ref T gr = ref MemoryMarshal.GetReference(grad);
            ref T br = ref MemoryMarshal.GetReference(buffer);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var p = Vector512.LoadUnsafe(ref pr, (nuint)i);
                var g = Vector512.LoadUnsafe(ref gr, (nuint)i);
                if (useWd) g = VectorMath.Fma(p, wd, g);
                if (useMomentum)
                {
                    var buf = first ? g : VectorMath.Fma(g, oneMinusDamp, Vector512.LoadUnsafe(ref br, (nuint)i) * mom);
                    buf.StoreUnsafe(ref br, (nuint)i);
                    g = nesterov ? VectorMath.Fma(buf, mom, g) : buf;
                }
                VectorMath.Fma(g, negLr, p).StoreUnsafe(ref pr, (nuint)i);
            }
        }
        // AVX2-only machines take the scalar loop here: SGD is memory-bound, the loop is already near the bandwidth.
        var rest = momentum != T.Zero ? buffer[i..] : buffer;
        FusedReference.SgdStep(param[i..], grad[i..], rest, lr, momentum, dampening, weightDecay, nesterov, step);
    }
}
