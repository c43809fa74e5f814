using System.Numerics;
using System.Runtime.Intrinsics;
using Scratch.Kernels.Cpu.Elementwise;

namespace Scratch.Kernels.Cpu.Fused;

/// <summary>relu(a + b) in one pass (the GEMM epilogue of a dense layer): y never makes a round trip to memory between the two.</summary>
public readonly struct AddReluOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T b) => ReluOperator<T>.Invoke(a + b);
    public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => ReluOperator<T>.Invoke(a + b);
    public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => ReluOperator<T>.Invoke(a + b);
}
