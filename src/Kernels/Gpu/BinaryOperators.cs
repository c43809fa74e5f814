namespace Scratch.Kernels.Gpu;

/// <summary>
/// One struct per <see cref="BinaryOp"/>, as <see cref="IGpuUnaryOperator"/> is for unary ops.
/// Semantics are those of <see cref="Cpu.Reference.Apply{T}(BinaryOp, T, T)"/>.
/// </summary>
internal interface IGpuBinaryOperator
{
    static abstract float Invoke(float a, float b);
}

internal struct AddOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a + b; }

internal struct SubOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a - b; }

internal struct MulOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a * b; }

internal struct DivOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a / b; }

internal struct PowOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => GpuMath.Pow(a, b); }

internal struct MaxOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => GpuMath.Max(a, b); }

internal struct MinOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => GpuMath.Min(a, b); }

/// <summary>b where a &gt; 0, else 0: a is the ReLU input, b the upstream gradient.</summary>
internal struct ReluBackwardOperator : IGpuBinaryOperator
{
    public static float Invoke(float a, float b) => a > 0.0f ? b : 0.0f;
}

/// <summary>a where a &gt; 0, else a·b: leaky ReLU with slope b.</summary>
internal struct LeakyReluOperator : IGpuBinaryOperator
{
    public static float Invoke(float a, float b) => a > 0.0f ? a : a * b;
}

/// <summary>1 where a &gt; 0, else b: leaky ReLU's derivative.</summary>
internal struct LeakyReluSlopeOperator : IGpuBinaryOperator
{
    public static float Invoke(float a, float b) => a > 0.0f ? 1.0f : b;
}
