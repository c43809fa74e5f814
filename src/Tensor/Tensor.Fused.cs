using Scratch.Kernels;

namespace Scratch;

/// <summary>Adam / AdamW hyperparameters (PyTorch's names and defaults).</summary>
public readonly record struct AdamSettings(
    double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8,
    double WeightDecay = 0, bool Decoupled = false);

/// <summary>SGD hyperparameters (PyTorch's names and defaults).</summary>
public readonly record struct SgdSettings(
    double LearningRate, double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false);

// Fused ops: one pass over memory where a composition would make several, for the hot spots of
// training (a dense layer's bias, an optimizer step). Each checks its operands once, here.
public sealed partial class Tensor
{
    /// <summary>this[r, c] += bias[c], in place. this: (rows, cols) contiguous, bias: (cols).</summary>
    public void AddRowVectorInPlace(Tensor bias)
    {
        CheckSameDTypeAndDevice("add bias", this, bias);
        if (Rank != 2 || bias.Rank != 1 || bias.Shape[0] != _shape[1] || !IsContiguous)
            throw new ArgumentException($"add bias: needs a contiguous (rows, cols) tensor and a (cols) bias, got {Shapes.Format(_shape)} and {Shapes.Format(bias.Shape)}");
        Backend.AddRowVector(Buffer(), bias.Buffer(), _shape[0], _shape[1]);
    }

    /// <summary>
    /// this[r, c] = f(this[r, c] + bias[c]) in place, f = Relu, Sigmoid or Tanh: a dense layer's bias
    /// and activation in one pass (GpuDevice.BiasActivation, CpuKernels.AddBiasRelu).
    /// </summary>
    public void AddRowVectorActivationInPlace(Tensor bias, UnaryOp activation)
    {
        CheckSameDTypeAndDevice("add bias activation", this, bias);
        if (activation is not (UnaryOp.Relu or UnaryOp.Sigmoid or UnaryOp.Tanh))
            throw new ArgumentException($"add bias activation: {activation} is not a dense layer's activation (relu, sigmoid, tanh)");
        if (Rank != 2 || bias.Rank != 1 || bias.Shape[0] != _shape[1] || !IsContiguous)
            throw new ArgumentException($"add bias activation: needs a contiguous (rows, cols) tensor and a (cols) bias, got {Shapes.Format(_shape)} and {Shapes.Format(bias.Shape)}");
        Backend.AddRowVectorActivation(Buffer(), bias.Buffer(), _shape[0], _shape[1], activation);
    }

    /// <summary>One Adam/AdamW step in place on param, m and v (all the same shape, contiguous). step counts from 1.</summary>
    public static void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSettings settings, int step)
    {
        CheckOptimizerOperands("adam", param, grad, m, v);
        if (step < 1) throw new ArgumentException($"adam: step {step} must count from 1");
        param.Backend.AdamStep(param.Buffer(), grad.Buffer(), m.Buffer(), v.Buffer(), settings, step);
    }

    /// <summary>One SGD step in place; the momentum buffer is written on step 1 (unused when momentum is 0).</summary>
    public static void SgdStep(Tensor param, Tensor grad, Tensor momentumBuffer, SgdSettings settings, int step)
    {
        CheckOptimizerOperands("sgd", param, grad, momentumBuffer);
        if (step < 1) throw new ArgumentException($"sgd: step {step} must count from 1");
        param.Backend.SgdStep(param.Buffer(), grad.Buffer(), momentumBuffer.Buffer(), settings, step);
    }

    /// <summary>Σ BCE(logits, target) as a 0-D tensor, in one fused pass. Same shapes.</summary>
    public static Tensor BceWithLogitsSum(Tensor logits, Tensor target)
    {
        CheckLossOperands("bce with logits", logits, target);
        var loss = Empty([], logits.DType, logits.Device);
        logits.Backend.BceWithLogitsSum(logits.Buffer(), target.Buffer(), loss.Buffer());
        return loss;
    }

    /// <summary>(σ(logits) − target)·scale: the gradient of <see cref="BceWithLogitsSum"/>, scaled.</summary>
    public static Tensor BceWithLogitsBackward(Tensor logits, Tensor target, double scale)
    {
        CheckLossOperands("bce with logits backward", logits, target);
        var grad = Empty(logits._shape, logits.DType, logits.Device);
        logits.Backend.BceWithLogitsBackward(logits.Buffer(), target.Buffer(), scale, grad.Buffer());
        return grad;
    }

    private static void CheckLossOperands(string op, Tensor prediction, Tensor target)
    {
        CheckSameDTypeAndDevice(op, prediction, target);
        if (!Shapes.SameShape(prediction._shape, target._shape))
            throw new ArgumentException($"{op}: prediction {Shapes.Format(prediction._shape)} and target {Shapes.Format(target._shape)} differ in shape");
    }

    // params ReadOnlySpan: the operands travel on the stack, so an optimizer step allocates no
    // array per parameter (a VAE step updates 8 parameters: ~0.4 KB per step with an array).
    private static void CheckOptimizerOperands(string op, Tensor param, params ReadOnlySpan<Tensor> others)
    {
        bool contiguous = param.IsContiguous;
        foreach (var t in others)
        {
            CheckSameDTypeAndDevice(op, param, t);
            if (!Shapes.SameShape(param._shape, t._shape))
                throw new ArgumentException($"{op}: parameter {Shapes.Format(param._shape)} and state {Shapes.Format(t._shape)} differ in shape");
            contiguous &= t.IsContiguous;
        }
        if (!contiguous)
            throw new ArgumentException($"{op}: the parameter {Shapes.Format(param._shape)} and its state must be contiguous (updated in place)");
    }
}
