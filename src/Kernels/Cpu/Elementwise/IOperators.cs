using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu.Elementwise;

// The TensorPrimitives pattern: an operator is a struct with static abstract members, so the loop in
// ElementwiseLoops is written once and the JIT specializes it per operator (no virtual calls, the body
// inlines into the vector loop). Each operator gives three widths of the same function: a scalar for
// short spans, Vector256 for AVX2 machines, Vector512 for AVX-512 machines.

/// <summary>y = f(x), one element or one vector of elements.</summary>
public interface IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T x);
    static abstract Vector256<T> Invoke(Vector256<T> x);
    static abstract Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>y = f(a, b), one element or one vector of elements.</summary>
public interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T a, T b);
    static abstract Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);
    static abstract Vector512<T> Invoke(Vector512<T> a, Vector512<T> b);
}
