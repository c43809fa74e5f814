namespace Scratch.Models.Tests.Autoencoders;

// The oracle for the model tests: the skeleton's forward written as plain loops over double arrays,
// from the parameters' values — no engine op involved.
internal static class PlainForward
{
    // x: (B, In), w: (Out, In), b: (Out) → (B, Out)
    public static double[,] Linear(double[,] x, double[] w, double[] b)
    {
        int batch = x.GetLength(0), inputs = x.GetLength(1), outputs = b.Length;
        var y = new double[batch, outputs];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outputs; o++)
            {
                double s = b[o];
                for (int i = 0; i < inputs; i++) s += x[n, i] * w[o * inputs + i];
                y[n, o] = s;
            }
        return y;
    }

    public static double[,] Map(double[,] x, Func<double, double> f)
    {
        var y = (double[,])x.Clone();
        for (int i = 0; i < y.GetLength(0); i++)
            for (int j = 0; j < y.GetLength(1); j++) y[i, j] = f(x[i, j]);
        return y;
    }

    public static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>An MLP given as a flat list of (weight, bias) arrays, ReLU between layers.</summary>
    public static double[,] Mlp(double[,] x, IReadOnlyList<(double[] W, double[] B)> layers)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            x = Linear(x, layers[l].W, layers[l].B);
            if (l + 1 < layers.Count) x = Map(x, v => Math.Max(v, 0));
        }
        return x;
    }

    /// <summary>Σ over all elements of BCE(logits, target), divided by the batch.</summary>
    public static double BcePerSample(double[,] logits, double[,] target)
    {
        double s = 0;
        for (int i = 0; i < logits.GetLength(0); i++)
            for (int j = 0; j < logits.GetLength(1); j++)
            {
                double p = Sigmoid(logits[i, j]), t = target[i, j];
                s += -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
            }
        return s / logits.GetLength(0);
    }

    public static double[,] ToMatrix(Tensor t)
    {
        var values = t.ToDoubleArray();
        int rows = t.Shape[0], cols = t.Shape[1];
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = values[i * cols + j];
        return m;
    }
}
