using Scratch.Kernels;

namespace Scratch;

/// <summary>Adam / AdamW hyperparameters (PyTorch's names and defaults).</summary>
/// <param name="LearningRate">The step size lr.</param>
/// <param name="Beta1">Decay of the first-moment (mean) estimate m.</param>
/// <param name="Beta2">Decay of the second-moment (uncentred variance) estimate v.</param>
/// <param name="Epsilon">Added to √v̂ in the denominator so a zero variance cannot divide by zero.</param>
/// <param name="WeightDecay">L2 penalty λ; added to the gradient (Adam) or applied to the parameter directly (AdamW).</param>
/// <param name="Decoupled">True for AdamW: param −= lr·λ·param before the Adam update, instead of grad += λ·param.</param>
public readonly record struct AdamSettings(
    double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8,
    double WeightDecay = 0, bool Decoupled = false);

/// <summary>SGD hyperparameters (PyTorch's names and defaults).</summary>
/// <param name="LearningRate">The step size lr (no default, as in PyTorch).</param>
/// <param name="Momentum">Momentum factor μ; 0 is plain SGD and leaves the momentum buffer unused.</param>
/// <param name="Dampening">Scales the gradient added to the momentum buffer by (1 − dampening).</param>
/// <param name="WeightDecay">L2 penalty λ, added to the gradient as λ·param.</param>
/// <param name="Nesterov">Use Nesterov momentum: step along grad + μ·buffer instead of the buffer (needs Momentum &gt; 0 and Dampening = 0).</param>
public readonly record struct SgdSettings(
    double LearningRate, double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false);

// Fused ops: one pass over memory where a composition would make several, for the hot spots of
// training (a dense layer's bias, an optimizer step). Each checks its operands once, here.
public sealed partial class Tensor
{
    /// <summary>this[r, c] += bias[c], in place. this: (rows, cols) contiguous, bias: (cols).</summary>
    /// <exception cref="ArgumentException">The shapes do not fit, this tensor is not contiguous, or the dtypes or devices differ.</exception>
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
    /// <exception cref="ArgumentException"><paramref name="activation"/> is not Relu, Sigmoid or Tanh, the shapes do not fit, this tensor is not contiguous, or the dtypes or devices differ.</exception>
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
    /// <exception cref="ArgumentException">The four tensors differ in shape, dtype or device, one is not contiguous, or <paramref name="step"/> &lt; 1.</exception>
    public static void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSettings settings, int step)
    {
        CheckOptimizerOperands("adam", param, grad, m, v);
        if (step < 1) throw new ArgumentException($"adam: step {step} must count from 1");
        param.Backend.AdamStep(param.Buffer(), grad.Buffer(), m.Buffer(), v.Buffer(), settings, step);
    }

    /// <summary>One SGD step in place; the momentum buffer is written on step 1 (unused when momentum is 0).</summary>
    /// <exception cref="ArgumentException">The three tensors differ in shape, dtype or device, one is not contiguous, <paramref name="step"/> &lt; 1, or Nesterov is asked for without momentum or with dampening.</exception>
    public static void SgdStep(Tensor param, Tensor grad, Tensor momentumBuffer, SgdSettings settings, int step)
    {
        CheckOptimizerOperands("sgd", param, grad, momentumBuffer);
        if (step < 1) throw new ArgumentException($"sgd: step {step} must count from 1");
        param.Backend.SgdStep(param.Buffer(), grad.Buffer(), momentumBuffer.Buffer(), settings, step);
    }

    /// <summary>Σ BCE(logits, target) as a 0-D tensor, in one fused pass. Same shapes.</summary>
    /// <exception cref="ArgumentException">The shapes, dtypes or devices differ.</exception>
    public static Tensor BceWithLogitsSum(Tensor logits, Tensor target)
    {
        CheckLossOperands("bce with logits", logits, target);
        var loss = Empty([], logits.DType, logits.Device);
        logits.Backend.BceWithLogitsSum(logits.Buffer(), target.Buffer(), loss.Buffer());
        return loss;
    }

    /// <summary>(σ(logits) − target)·scale: the gradient of <see cref="BceWithLogitsSum"/>, scaled.</summary>
    /// <exception cref="ArgumentException">The shapes, dtypes or devices differ.</exception>
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
