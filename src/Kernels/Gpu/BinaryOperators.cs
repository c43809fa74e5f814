namespace Scratch.Kernels.Gpu;

/// <summary>
/// One struct per <see cref="BinaryOp"/>, as <see cref="IGpuUnaryOperator"/> is for unary ops.
/// Semantics are those of <see cref="Cpu.Reference.Apply{T}(BinaryOp, T, T)"/>.
/// </summary>
public interface IGpuBinaryOperator
{
    static abstract float Invoke(float a, float b);
}

public struct AddOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a + b; }

public struct SubOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a - b; }

public struct MulOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a * b; }

public struct DivOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => a / b; }

public struct PowOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => GpuMath.Pow(a, b); }

public struct MaxOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => GpuMath.Max(a, b); }

public struct MinOperator : IGpuBinaryOperator { public static float Invoke(float a, float b) => GpuMath.Min(a, b); }

/// <summary>b where a &gt; 0, else 0: a is the ReLU input, b the upstream gradient.</summary>
public struct ReluBackwardOperator : IGpuBinaryOperator
{
    public static float Invoke(float a, float b) => a > 0.0f ? b : 0.0f;
}

/// <summary>a where a &gt; 0, else a·b: leaky ReLU with slope b.</summary>
public struct LeakyReluOperator : IGpuBinaryOperator
{
    public static float Invoke(float a, float b) => a > 0.0f ? a : a * b;
}

/// <summary>1 where a &gt; 0, else b: leaky ReLU's derivative.</summary>
public struct LeakyReluSlopeOperator : IGpuBinaryOperator
{
    public static float Invoke(float a, float b) => a > 0.0f ? 1.0f : b;
}
