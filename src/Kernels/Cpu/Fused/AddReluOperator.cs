using System.Numerics;
using Scratch.Kernels.Cpu.Simd;
using Scratch.Kernels.Cpu.Elementwise;

namespace Scratch.Kernels.Cpu.Fused;

/// <summary>relu(a + b) in one pass (the GEMM epilogue of a dense layer): y never makes a round trip to memory between the two.</summary>
internal readonly struct AddReluOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => ReluOperator<T>.Invoke(a + b);
    public static TV Invoke<TV>(TV a, TV b) where TV : struct, ISimd<TV, T> => ReluOperator<T>.Invoke(a + b);
}
