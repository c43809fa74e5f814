using Scratch.Autograd;

namespace Scratch.AutogradTests;

// Every differentiable op passes the float64 gradient check, on several shapes, broadcasts included.
public class OpGradientTests
{
    private static readonly int[][] Shapes2 = [[1], [5], [3, 4], [2, 3, 4]];

    [TestCaseSource(nameof(Shapes2))]
    public void Arithmetic_SameShape(int[] shape)
    {
        var a = Inputs.Normal(1, shape);
        var b = Inputs.Uniform(2, 0.5, 2.0, shape);
        Inputs.Check("add", v => v[0] + v[1], a, b);
        Inputs.Check("sub", v => v[0] - v[1], a, b);
        Inputs.Check("mul", v => v[0] * v[1], a, b);
        Inputs.Check("div", v => v[0] / v[1], a, b);
        Inputs.Check("neg", v => -v[0], a);
        Inputs.Check("scalar ops", v => (2.0 - v[0]) * 3.0 / 2.0 + 1.0 - (1.5 / v[1]), a, b);
    }

    [TestCase(new[] { 3, 4 }, new[] { 4 })]
    [TestCase(new[] { 3, 4 }, new[] { 3, 1 })]
    [TestCase(new[] { 3, 1 }, new[] { 1, 4 })]
    [TestCase(new[] { 2, 3, 4 }, new int[0])]
    [TestCase(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    public void Arithmetic_Broadcast(int[] shapeA, int[] shapeB)
    {
        var a = Inputs.Normal(3, shapeA);
        var b = Inputs.Uniform(4, 0.5, 2.0, shapeB);
        Inputs.Check("add broadcast", v => v[0] + v[1], a, b);
        Inputs.Check("sub broadcast", v => v[1] - v[0], a, b);
        Inputs.Check("mul broadcast", v => v[0] * v[1], a, b);
        Inputs.Check("div broadcast", v => v[0] / v[1], a, b);
    }

    [TestCaseSource(nameof(Shapes2))]
    public void Unary(int[] shape)
    {
        var x = Inputs.Normal(5, shape);
        var positive = Inputs.Uniform(6, 0.2, 3.0, shape);
        Inputs.Check("exp", v => v[0].Exp(), x);
        Inputs.Check("log", v => v[0].Log(), positive);
        Inputs.Check("sqrt", v => v[0].Sqrt(), positive);
        Inputs.Check("square", v => v[0].Square(), x);
        Inputs.Check("abs", v => v[0].Abs(), Inputs.AwayFromZero(7, 0.1, shape));
        Inputs.Check("pow scalar", v => v[0].Pow(2.5), positive);
        Inputs.Check("pow tensor", v => v[0].Pow(v[1]), positive, Inputs.Normal(8, shape));
        // Clamp: values kept away from the bounds, where the derivative jumps.
        var clampInput = Tensor.FromArray(x.ToArray<double>().Select(t => Math.Abs(Math.Abs(t) - 0.5) < 0.05 ? t + 0.2 : t).ToArray(), shape);
        Inputs.Check("clamp", v => v[0].Clamp(-0.5, 0.5), clampInput);
    }

    [TestCaseSource(nameof(Shapes2))]
    public void Activations(int[] shape)
    {
        var x = Inputs.Normal(9, shape) * 2.0;
        Inputs.Check("relu", v => v[0].Relu(), Inputs.AwayFromZero(10, 0.05, shape));
        Inputs.Check("sigmoid", v => v[0].Sigmoid(), x);
        Inputs.Check("tanh", v => v[0].Tanh(), x);
        Inputs.Check("softplus", v => v[0].Softplus(), x);
    }

    [Test]
    public void Reductions_AllAndAlongAxes()
    {
        var x = Inputs.Normal(11, 2, 3, 4);
        Inputs.Check("sum", v => v[0].Sum(), x);
        Inputs.Check("mean", v => v[0].Mean(), x);
        for (int axis = -1; axis < 3; axis++)
        {
            int a = axis;
            Inputs.Check($"sum axis {a}", v => v[0].Sum(a), x);
            Inputs.Check($"mean axis {a} keepdim", v => v[0].Mean(a, keepDim: true), x);
        }
    }

    [TestCase(3, 4, 5)]
    [TestCase(1, 7, 2)]
    [TestCase(6, 2, 3)]
    public void MatMul_AllTransposeCombinations(int m, int k, int n)
    {
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        {
            var a = Inputs.Normal(12, ta ? [k, m] : [m, k]);
            var b = Inputs.Normal(13, tb ? [n, k] : [k, n]);
            Inputs.Check($"matmul ta={ta} tb={tb}", v => Variable.MatMul(v[0], v[1], ta, tb), a, b);
        }
        // Through a transposed view rather than a flag.
        Inputs.Check("matmul of views", v => v[0].Transpose().MatMul(v[1]), Inputs.Normal(14, k, m), Inputs.Normal(15, k, n));
    }

    [TestCase(4, 6, 5)]
    [TestCase(1, 3, 1)]
    public void Linear_WithAndWithoutBias(int batch, int inputs, int outputs)
    {
        var x = Inputs.Normal(16, batch, inputs);
        var w = Inputs.Normal(17, outputs, inputs);
        var b = Inputs.Normal(18, outputs);
        Inputs.Check("linear", v => Variable.Linear(v[0], v[1], v[2]), x, w, b);
        Inputs.Check("linear no bias", v => Variable.Linear(v[0], v[1], null), x, w);
    }

    [Test]
    public void ShapeOps()
    {
        var x = Inputs.Normal(19, 3, 4);
        Inputs.Check("reshape", v => v[0].Reshape(2, 6) * Inputs.Normal(20, 2, 6), x);
        Inputs.Check("transpose", v => v[0].Transpose() * Inputs.Normal(21, 4, 3), x);
        Inputs.Check("slice", v => v[0].Slice(1, 1, 2).Square(), x);
        Inputs.Check("split", v => { var p = v[0].Split(1, 1, 3); return p[0].Sum() * p[1].Exp().Sum(); }, x);
        Inputs.Check("concat", v => Variable.Concat([v[0], v[1].Square()], 1) * Inputs.Normal(22, 3, 6), x, Inputs.Normal(23, 3, 2));
        Inputs.Check("concat rows", v => Variable.Concat([v[0], v[1]], 0).Tanh(), x, Inputs.Normal(24, 2, 4));
    }

    [Test]
    public void LargeInput_UsesRandomDirections()
    {
        // 40·30 inputs × 40·30 outputs is past the full-Jacobian limit.
        var x = Inputs.Normal(25, 40, 30);
        Inputs.Check("tanh large", v => v[0].Tanh() * 2.0, x);
        Inputs.Check("matmul large", v => Variable.MatMul(v[0], v[1]), x, Inputs.Normal(26, 30, 20));
    }
}
