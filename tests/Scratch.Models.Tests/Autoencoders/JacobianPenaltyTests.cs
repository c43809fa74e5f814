using Scratch.Autograd;
using Scratch.Models.Autoencoders;
using Scratch.Models.Nn;

namespace Scratch.Models.Tests.Autoencoders;

/// <summary>
/// The contractive penalty is ‖∂h/∂x‖²_F of the whole encoder: its value equals the squared
/// Frobenius norm of a brute-force Jacobian (central differences of the code, float64) for every
/// depth and activation, its gradient passes the float64 gradient check, and it cannot be cheated
/// by rescaling layers (which a penalty on the code layer alone can).
/// </summary>
public class JacobianPenaltyTests
{
    private static ContractiveAutoencoder Model(int input, int[] hidden, int latent, Activation activation, ulong seed = 1) =>
        new(new AutoencoderConfig { InputSize = input, HiddenSizes = hidden, LatentSize = latent, Activation = activation, DType = DType.Float64 }, new Rng(seed));

    private static Tensor Inputs(int batch, int input) => Tensor.Randn([batch, input], new Rng(5), DType.Float64);

    // Σ over the batch of Σᵢⱼ (∂hⱼ/∂xᵢ)², each entry by central differences of the model's own Encode, / B.
    private static double BruteForce(ContractiveAutoencoder model, Tensor x)
    {
        int batch = x.Shape[0], input = x.Shape[1];
        var values = x.ToArray<double>();
        const double eps = 1e-6;
        double[] Code(double[] v)
        {
            using (NoGrad.Scope())
                return model.Encode(Tensor.FromArray(v, batch, input)).Data.ToArray<double>();
        }
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            var plus = (double[])values.Clone();
            var minus = (double[])values.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            var (hp, hm) = (Code(plus), Code(minus));
            int b = i / input, latent = hp.Length / batch;
            for (int j = 0; j < latent; j++)
            {
                double d = (hp[b * latent + j] - hm[b * latent + j]) / (2 * eps);
                sum += d * d;
            }
        }
        return sum / batch;
    }

    [TestCase(new int[0], Activation.Relu)]
    [TestCase(new[] { 5 }, Activation.Relu)]
    [TestCase(new[] { 5 }, Activation.Sigmoid)]
    [TestCase(new[] { 5 }, Activation.Tanh)]
    [TestCase(new[] { 7, 4 }, Activation.Relu)]
    [TestCase(new[] { 7, 4 }, Activation.Tanh)]
    [TestCase(new[] { 6, 5, 4 }, Activation.Sigmoid)]
    [TestCase(new[] { 9 }, Activation.Tanh)]            // h₁ ≥ In: J is formed directly, not through the Gram matrix
    public void ValueIsTheSquaredFrobeniusNormOfTheBruteForceJacobian(int[] hidden, Activation activation)
    {
        var model = Model(input: 6, hidden, latent: 3, activation);
        var x = Inputs(4, 6);
        double penalty = model.EncodeWithPenalty(x).Penalty.Item();
        Assert.That(penalty, Is.EqualTo(BruteForce(model, x)).Within(1e-7 * Math.Max(1, penalty)));
        Assert.That(penalty, Is.GreaterThan(0));
    }

    [TestCase(new int[0], Activation.Sigmoid)]
    [TestCase(new[] { 4 }, Activation.Relu)]
    [TestCase(new[] { 4 }, Activation.Sigmoid)]
    [TestCase(new[] { 4, 3 }, Activation.Tanh)]
    [TestCase(new[] { 6 }, Activation.Tanh)]            // the direct branch
    public void GradientPassesTheFloat64GradientCheck(int[] hidden, Activation activation)
    {
        var model = Model(input: 5, hidden, latent: 2, activation, seed: 3);
        var layers = JacobianPenalty.LinearLayers(model.Encoder);
        // Inputs: x, then each layer's weight and bias; the penalty is recomputed from them.
        Tensor[] inputs = [Inputs(3, 5), .. layers.SelectMany(l => new[] { l.Weight.Data, l.Bias!.Data })];
        GradCheck.Check("contractive penalty", v =>
        {
            var rebuilt = Enumerable.Range(0, layers.Count).Select(i => (v[1 + 2 * i], (Variable?)v[2 + 2 * i])).ToList();
            return JacobianPenalty.Compute(v[0], rebuilt, activation).Penalty;
        }, inputs);
    }

    [Test]
    public void RescalingTheLayersOfAReluEncoderLeavesThePenaltyUnchanged()
    {
        // ReLU is positively homogeneous: W₁,b₁ ← s·W₁,s·b₁ and W₂ ← W₂/s leave the encoder's function,
        // hence its Jacobian, unchanged. A penalty on the code layer alone would shrink by s².
        var model = Model(input: 6, [5], latent: 3, Activation.Relu);
        var x = Inputs(4, 6);
        double before = model.EncodeWithPenalty(x).Penalty.Item();
        var layers = JacobianPenalty.LinearLayers(model.Encoder);
        const double s = 8;
        layers[0].Weight.Data.CopyFrom(layers[0].Weight.Data * s);
        layers[0].Bias!.Data.CopyFrom(layers[0].Bias!.Data * s);
        layers[1].Weight.Data.CopyFrom(layers[1].Weight.Data / s);
        double after = model.EncodeWithPenalty(x).Penalty.Item();
        Assert.That(after, Is.EqualTo(before).Within(1e-12 * before));
    }

    [Test]
    public void TheCodeIsTheModelsEncode()
    {
        var model = Model(input: 6, [5, 4], latent: 3, Activation.Tanh);
        var x = Inputs(4, 6);
        Assert.That(model.EncodeWithPenalty(x).Code.Data.ToArray<double>(), Is.EqualTo(model.Encode(x).Data.ToArray<double>()));
    }
}
