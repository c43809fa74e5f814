using System.Numerics;
using Scratch.Kernels.Cpu.Simd;

namespace Scratch.Kernels.Cpu.Elementwise;

// The TensorPrimitives pattern: an operator is a struct with static abstract members, so the loop in
// ElementwiseLoops is written once and the JIT specializes it per operator (no virtual calls, the body
// inlines into the vector loop). Each operator gives the same function twice: on one T, the scalar
// form that short spans and tails use, and on one vector of any width (TV: Simd128, Simd256 or
// Simd512), which the JIT compiles once per width the loops use.

/// <summary>y = f(x), one element or one vector of elements.</summary>
internal interface IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T x);
    static abstract TV Invoke<TV>(TV x) where TV : struct, ISimd<TV, T>;
}

/// <summary>y = f(a, b), one element or one vector of elements.</summary>
internal interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T a, T b);
    static abstract TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T>;
}
