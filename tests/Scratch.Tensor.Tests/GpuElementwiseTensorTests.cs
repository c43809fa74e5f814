using Scratch.Kernels;
using static Scratch.TensorTests.GpuCheck;

namespace Scratch.TensorTests;

// Elementwise tensor ops on ilgpu-cpu against the CPU backend: every unary and binary op, the
// scalar forms, NumPy broadcasting (through Gather with zero strides), clamp, fill and in-place add.
public class GpuElementwiseTensorTests
{
    private const double Rel = 1e-5;
    private static readonly int[][] Shapes = [[1], [7], [33], [3, 11], [4, 33, 5]];

    public static IEnumerable<UnaryOp> UnaryOps => Enum.GetValues<UnaryOp>();
    public static IEnumerable<BinaryOp> BinaryOps => Enum.GetValues<BinaryOp>();

    [Test]
    public void Unary_EveryOp_MatchesCpu([ValueSource(nameof(UnaryOps))] UnaryOp op)
    {
        // Log, Sqrt and Reciprocal on positive inputs, so the comparison is of values, not of NaNs.
        bool positive = op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Reciprocal;
        foreach (var shape in Shapes)
        {
            var x = Random(shape, 11, positive ? 0.1 : -4, 4);
            // Floor 0.01: near zero the GPU's tanh and exp-based forms are off by ~1e-8 absolute, a few
            // ulps of 1 but many of the tiny result; elsewhere the error is relative.
            Matches(Apply(op, x), Apply(op, x.To(Sim)), Rel, 0.01, $"{op}");
        }
    }

    [Test]
    public void Binary_EveryOp_SameShape_AndScalarForms_MatchCpu([ValueSource(nameof(BinaryOps))] BinaryOp op)
    {
        bool positive = op == BinaryOp.Pow;
        foreach (var shape in Shapes)
        {
            var a = Random(shape, 21, positive ? 0.5 : -3, 3);
            var b = Random(shape, 22, positive ? -2 : 0.25, 2);
            Matches(Zip(op, a, b), Zip(op, a.To(Sim), b.To(Sim)), Rel, what: $"{op}");
        }
        var x = Random([33], 23, 0.5, 3);
        Matches(Zip(op, x, Tensor.Scalar(1.5)), Zip(op, x.To(Sim), Tensor.Scalar(1.5, device: Sim)), Rel, what: $"{op} tensor-scalar");
        Matches(Zip(op, Tensor.Scalar(1.5), x), Zip(op, Tensor.Scalar(1.5, device: Sim), x.To(Sim)), Rel, what: $"{op} scalar-tensor");
    }

    [Test]
    public void Binary_Broadcasting_RowColumnAndBothSides_MatchesCpu()
    {
        var a = Random([45, 33], 31);
        var row = Random([33], 32, 0.5, 2);
        var column = Random([45, 1], 33, 0.5, 2);
        var left = Random([1, 33], 34);
        var right = Random([7, 1], 35);
        Matches(a + row, a.To(Sim) + row.To(Sim), Rel, what: "a + row");
        Matches(a / column, a.To(Sim) / column.To(Sim), Rel, what: "a / column");
        Matches(left * right, left.To(Sim) * right.To(Sim), Rel, what: "(1,33)·(7,1)");
        Matches(row - a, row.To(Sim) - a.To(Sim), Rel, what: "row − a");
        var cube = Random([4, 7, 33], 36);
        Matches(cube.Maximum(left), cube.To(Sim).Maximum(left.To(Sim)), Rel, what: "(4,7,33) max (1,33)");
    }

    [Test]
    public void ScalarOperators_Clamp_Fill_AddInPlace_MatchCpu()
    {
        var x = Random([45, 33], 41, -3, 3);
        var g = x.To(Sim);
        Matches(x * 2.5 - 1, g * 2.5 - 1, Rel, what: "x·2.5 − 1");
        Matches(1.0 / (x.Abs() + 1), 1.0 / (g.Abs() + 1), Rel, what: "1 / (|x| + 1)");
        Matches(2.0 - x.Pow(2), 2.0 - g.Pow(2), Rel, what: "2 − x²");
        Matches(x.Clamp(-1, 0.5), g.Clamp(-1, 0.5), Rel, what: "clamp");

        var filled = Tensor.Zeros([7, 5], device: Sim);
        filled.Fill(3.25);
        Assert.That(filled.ToArray<float>(), Is.All.EqualTo(3.25f));
        Assert.That(Tensor.Full([33], -2, device: Sim).ToArray<float>(), Is.All.EqualTo(-2f));
        Assert.That(Tensor.Zeros([33], device: Sim).ToArray<float>(), Is.All.EqualTo(0f));

        var sum = x.Clone();
        sum.AddInPlace(x);
        var sumGpu = g.Clone();
        sumGpu.AddInPlace(g);
        Matches(sum, sumGpu, Rel, what: "add in place");
    }

    [Test]
    public void Results_StayOnTheDevice_AndItemReadsBack()
    {
        var g = Tensor.FromArray(new float[] { 1, 2, 3 }, 3).To(Sim);
        var y = (g * 2).Sum();
        Assert.That(y.Device, Is.EqualTo(Sim));
        Assert.That(y.Storage, Is.InstanceOf<GpuStorage>());
        Assert.That(y.Item(), Is.EqualTo(12.0));
        Assert.That(g.ToString(), Does.Contain("on ilgpu-cpu").And.Contain("[1, 2, 3]"));
    }

    private static Tensor Apply(UnaryOp op, Tensor x) => op switch
    {
        UnaryOp.Neg => x.Neg(), UnaryOp.Exp => x.Exp(), UnaryOp.Log => x.Log(), UnaryOp.Sqrt => x.Sqrt(),
        UnaryOp.Square => x.Square(), UnaryOp.Abs => x.Abs(), UnaryOp.Sign => x.Sign(), UnaryOp.Relu => x.Relu(),
        UnaryOp.Sigmoid => x.Sigmoid(), UnaryOp.Tanh => x.Tanh(), UnaryOp.Softplus => x.Softplus(),
        UnaryOp.Reciprocal => x.Reciprocal(),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "test: add the new unary op here"),
    };

    private static Tensor Zip(BinaryOp op, Tensor a, Tensor b) => op switch
    {
        BinaryOp.Add => a.Add(b), BinaryOp.Sub => a.Sub(b), BinaryOp.Mul => a.Mul(b), BinaryOp.Div => a.Div(b),
        BinaryOp.Pow => a.Pow(b), BinaryOp.Max => a.Maximum(b), BinaryOp.Min => a.Minimum(b),
        BinaryOp.ReluBackward => a.ReluBackward(b),
        BinaryOp.LeakyRelu => a.LeakyRelu(b), BinaryOp.LeakyReluSlope => a.LeakyReluSlope(b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "test: add the new binary op here"),
    };
}
