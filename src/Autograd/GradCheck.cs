namespace Scratch.Autograd;

/// <summary>Tolerances and sizes of a gradient check; the defaults are PyTorch gradcheck's.</summary>
public sealed record GradCheckOptions
{
    /// <summary>The step h of the central difference (f(x + h) − f(x − h)) / 2h, in float64.</summary>
    public double Epsilon { get; init; } = 1e-6;
    /// <summary>atol: an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;
    /// <summary>rtol: an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|.</summary>
    public double RelativeTolerance { get; init; } = 1e-3;
    /// <summary>Up to this many input·output elements the full Jacobian is compared; above it, random directions.</summary>
    public int FullJacobianLimit { get; init; } = 4096;
    /// <summary>How many random (u, v) pairs test vᵀ·J·u when the Jacobian is too large to compare in full.</summary>
    public int RandomDirections { get; init; } = 8;
    /// <summary>Seeds the random directions and output gradients, so a failing check fails the same way every run.</summary>
    public ulong Seed { get; init; } = 12345;
}

/// <summary>
/// Checks an op's backward against central differences, in float64, the way PyTorch's gradcheck
/// does — and a little more: a zero output gradient must give zero input gradients, every gradient
/// must have its input's shape, and two backward runs must agree bit for bit. Public, because users
/// of a teaching engine write their own ops.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Throws <see cref="GradCheckException"/> naming the op, the input and the worst element if
    /// <paramref name="f"/>'s gradients are wrong. Inputs must be float64 CPU tensors; f must be
    /// deterministic (pass random draws in as inputs or constants).
    /// </summary>
    /// <param name="op">The name used in failure messages.</param>
    /// <param name="f">The function under test: variables in (one per input, same order), one variable of any shape out.</param>
    /// <param name="inputs">The point at which to check, float64 CPU tensors.</param>
    /// <param name="options">Tolerances and sizes; null for PyTorch gradcheck's defaults.</param>
    /// <exception cref="ArgumentException">An input is not float64.</exception>
    /// <exception cref="GradCheckException">A gradient is wrong, has the wrong shape, is non-zero for a zero output gradient, differs between two runs, or the result does not depend on the inputs.</exception>
    public static void Check(string op, Func<Variable[], Variable> f, Tensor[] inputs, GradCheckOptions? options = null)
    {
        options ??= new GradCheckOptions();
        foreach (var t in inputs)
            if (t.DType != DType.Float64)
                throw new ArgumentException($"gradcheck '{op}': inputs must be float64 (got {t.DType.Name()} {Shapes.Format(t.Shape)}); float32 finite differences cannot tell a wrong gradient from rounding");

        var values = inputs.Select(t => t.Contiguous().ToArray<double>()).ToArray();
        var shapes = inputs.Select(t => t.ShapeArray).ToArray();
        var output = Evaluate(f, values, shapes);
        int outputs = output.Length;
        var rng = new Rng(options.Seed);

        CheckZeroGradient(op, f, values, shapes, outputs);
        CheckRepeatable(op, f, values, shapes, outputs, rng);

        for (int input = 0; input < inputs.Length; input++)
        {
            long size = (long)values[input].Length * outputs;
            if (size <= options.FullJacobianLimit) CheckFullJacobian(op, f, values, shapes, input, outputs, options);
            else CheckRandomDirections(op, f, values, shapes, input, outputs, options, rng);
        }
    }

    // Row j of the analytic Jacobian is the input gradient for dy = e_j; column i of the numeric one
    // is (f(x + ε·e_i) − f(x − ε·e_i)) / 2ε.
    private static void CheckFullJacobian(string op, Func<Variable[], Variable> f, double[][] values, int[][] shapes, int input, int outputs, GradCheckOptions o)
    {
        int n = values[input].Length;
        var analytic = new double[outputs, n];
        for (int j = 0; j < outputs; j++)
        {
            var dy = new double[outputs];
            dy[j] = 1;
            var g = Gradients(f, values, shapes, dy)[input];
            for (int i = 0; i < n; i++) analytic[j, i] = g[i];
        }
        var worst = new Worst();
        for (int i = 0; i < n; i++)
        {
            double saved = values[input][i];
            values[input][i] = saved + o.Epsilon;
            var plus = Evaluate(f, values, shapes);
            values[input][i] = saved - o.Epsilon;
            var minus = Evaluate(f, values, shapes);
            values[input][i] = saved;
            for (int j = 0; j < outputs; j++)
                worst.Consider((plus[j] - minus[j]) / (2 * o.Epsilon), analytic[j, i], $"element {i} (output {j})", o);
        }
        worst.ThrowIfFailed(op, input, shapes[input], "Jacobian");
    }

    // vᵀ·J·u two ways: analytically as (Jᵀv)·u, numerically as v·(f(x + εu) − f(x − εu)) / 2ε.
    private static void CheckRandomDirections(string op, Func<Variable[], Variable> f, double[][] values, int[][] shapes, int input, int outputs, GradCheckOptions o, Rng rng)
    {
        int n = values[input].Length;
        var worst = new Worst();
        for (int d = 0; d < o.RandomDirections; d++)
        {
            var u = Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray();
            var v = Enumerable.Range(0, outputs).Select(_ => rng.NextNormal()).ToArray();
            var g = Gradients(f, values, shapes, v)[input];
            double analytic = 0;
            for (int i = 0; i < n; i++) analytic += g[i] * u[i];
            var saved = (double[])values[input].Clone();
            for (int i = 0; i < n; i++) values[input][i] = saved[i] + o.Epsilon * u[i];
            var plus = Evaluate(f, values, shapes);
            for (int i = 0; i < n; i++) values[input][i] = saved[i] - o.Epsilon * u[i];
            var minus = Evaluate(f, values, shapes);
            values[input] = saved;
            double numeric = 0;
            for (int j = 0; j < outputs; j++) numeric += v[j] * (plus[j] - minus[j]) / (2 * o.Epsilon);
            worst.Consider(numeric, analytic, $"random direction {d}", o);
        }
        worst.ThrowIfFailed(op, input, shapes[input], "directional derivative");
    }

    private static void CheckZeroGradient(string op, Func<Variable[], Variable> f, double[][] values, int[][] shapes, int outputs)
    {
        var grads = Gradients(f, values, shapes, new double[outputs]);
        for (int input = 0; input < grads.Length; input++)
        {
            int bad = Array.FindIndex(grads[input], g => g != 0);
            if (bad >= 0)
                throw new GradCheckException($"gradcheck '{op}': a zero output gradient gave input {input} {Shapes.Format(shapes[input])} a gradient of {grads[input][bad]} at element {bad}");
        }
    }

    private static void CheckRepeatable(string op, Func<Variable[], Variable> f, double[][] values, int[][] shapes, int outputs, Rng rng)
    {
        var v = Enumerable.Range(0, outputs).Select(_ => rng.NextNormal()).ToArray();
        var first = Gradients(f, values, shapes, v);
        var second = Gradients(f, values, shapes, v);
        for (int input = 0; input < first.Length; input++)
        {
            int bad = Enumerable.Range(0, first[input].Length).FirstOrDefault(i => BitConverter.DoubleToInt64Bits(first[input][i]) != BitConverter.DoubleToInt64Bits(second[input][i]), -1);
            if (bad >= 0)
                throw new GradCheckException($"gradcheck '{op}': two backward runs differ for input {input} {Shapes.Format(shapes[input])} at element {bad}: {first[input][bad]:R} vs {second[input][bad]:R}");
        }
    }

    private static double[] Evaluate(Func<Variable[], Variable> f, double[][] values, int[][] shapes)
    {
        using (NoGrad.Scope())
            return f(Leaves(values, shapes, requiresGrad: false)).Data.Contiguous().ToArray<double>();
    }

    // The input gradients for one output gradient; also checks each has its input's shape.
    private static double[][] Gradients(Func<Variable[], Variable> f, double[][] values, int[][] shapes, double[] outputGradient)
    {
        var leaves = Leaves(values, shapes, requiresGrad: true);
        var y = f(leaves);
        if (y.IsLeaf)
            throw new GradCheckException($"gradcheck: the function's result does not depend on its inputs");
        y.Backward(Tensor.FromArray(outputGradient, y.ShapeArray));
        var result = new double[leaves.Length][];
        for (int i = 0; i < leaves.Length; i++)
        {
            var g = leaves[i].Grad;
            if (g is not null && !Shapes.SameShape(g.Shape, shapes[i]))
                throw new GradCheckException($"gradcheck: the gradient of input {i} has shape {Shapes.Format(g.Shape)}, its input {Shapes.Format(shapes[i])}");
            result[i] = g?.Contiguous().ToArray<double>() ?? new double[values[i].Length];
        }
        return result;
    }

    private static Variable[] Leaves(double[][] values, int[][] shapes, bool requiresGrad) =>
        values.Select((v, i) => new Variable(Tensor.FromArray((double[])v.Clone(), shapes[i]), requiresGrad)).ToArray();

    // Tracks the element furthest outside |analytic − numeric| ≤ atol + rtol·|numeric|.
    private sealed class Worst
    {
        private double _excess = double.NegativeInfinity;
        private string _where = "";
        private double _numeric, _analytic;

        public void Consider(double numeric, double analytic, string where, GradCheckOptions o)
        {
            double excess = Math.Abs(analytic - numeric) - (o.AbsoluteTolerance + o.RelativeTolerance * Math.Abs(numeric));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            if (excess > _excess) (_excess, _where, _numeric, _analytic) = (excess, where, numeric, analytic);
        }

        public void ThrowIfFailed(string op, int input, int[] shape, string what)
        {
            if (_excess <= 0) return;
            throw new GradCheckException($"gradcheck '{op}': the {what} of input {input} {Shapes.Format(shape)} is wrong; worst at {_where}: analytic {_analytic:G10}, numeric {_numeric:G10}");
        }
    }
}

/// <summary>
/// Thrown by <see cref="GradCheck.Check"/> when a gradient is wrong: the message names the op, the
/// input, its shape and the worst element with its analytic and numeric values.
/// </summary>
/// <param name="message">What failed, where, and by how much.</param>
public sealed class GradCheckException(string message) : Exception(message);
