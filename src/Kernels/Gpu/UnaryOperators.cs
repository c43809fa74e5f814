using ILGPU.Algorithms;

namespace Scratch.Kernels.Gpu;

/// <summary>
/// One struct per <see cref="UnaryOp"/>. The elementwise kernel is written once, generic over
/// the operator; ILGPU compiles one specialized kernel per struct, with the call inlined
/// (the pattern of ILGPU's StaticAbstractInterfaceMembers sample and of TensorPrimitives'
/// operator structs). Semantics are those of <see cref="Cpu.Reference.Apply{T}(UnaryOp, T)"/>.
/// </summary>
internal interface IGpuUnaryOperator
{
    static abstract float Invoke(float x);
}

internal struct NegOperator : IGpuUnaryOperator { public static float Invoke(float x) => -x; }

internal struct ExpOperator : IGpuUnaryOperator { public static float Invoke(float x) => XMath.Exp(x); }

internal struct LogOperator : IGpuUnaryOperator { public static float Invoke(float x) => XMath.Log(x); }

internal struct SqrtOperator : IGpuUnaryOperator { public static float Invoke(float x) => XMath.Sqrt(x); }

internal struct SquareOperator : IGpuUnaryOperator { public static float Invoke(float x) => x * x; }

internal struct AbsOperator : IGpuUnaryOperator { public static float Invoke(float x) => XMath.Abs(x); }

internal struct SignOperator : IGpuUnaryOperator
{
    public static float Invoke(float x) => x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : (float.IsNaN(x) ? x : 0.0f);
}

internal struct ReluOperator : IGpuUnaryOperator
{
    public static float Invoke(float x) => x > 0.0f ? x : (float.IsNaN(x) ? x : 0.0f);
}

internal struct SigmoidOperator : IGpuUnaryOperator { public static float Invoke(float x) => GpuMath.Sigmoid(x); }

internal struct TanhOperator : IGpuUnaryOperator { public static float Invoke(float x) => XMath.Tanh(x); }

internal struct SoftplusOperator : IGpuUnaryOperator
{
    // max(x, 0) + log(1 + exp(-|x|)): exp never overflows.
    public static float Invoke(float x) =>
        float.IsNaN(x) ? x : XMath.Max(x, 0.0f) + GpuMath.LogOnePlusExpNegAbs(x);
}

internal struct ReciprocalOperator : IGpuUnaryOperator { public static float Invoke(float x) => 1.0f / x; }
