namespace Scratch.Experiments.Tests.Metrics;

/// <summary>
/// SSIM written the slow, obvious way, to hold the fast separable version to: the 2-D window
/// built directly as exp(−(i² + j²)/2σ²)/Σ (MATLAB's fspecial('gaussian', 11, 1.5)), and
/// every window's statistics summed in one loop nest over (image, row, col, wi, wj).
/// </summary>
internal static class NaiveSsim
{
    public static double[,] Window()
    {
        var w = new double[11, 11];
        double sum = 0;
        for (int i = 0; i < 11; i++)
            for (int j = 0; j < 11; j++)
            {
                w[i, j] = Math.Exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2 * 1.5 * 1.5));
                sum += w[i, j];
            }
        for (int i = 0; i < 11; i++)
            for (int j = 0; j < 11; j++)
                w[i, j] /= sum;
        return w;
    }

    // x, y: (count, h, w) → per-image mean SSIM (count)
    public static double[] PerImage(float[] x, float[] y, int count, int h, int w, double range = 1.0)
    {
        var window = Window();
        double c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2);
        var result = new double[count];
        for (int n = 0; n < count; n++)
        {
            double total = 0;
            for (int r = 0; r + 11 <= h; r++)
                for (int c = 0; c + 11 <= w; c++)
                {
                    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                    for (int i = 0; i < 11; i++)
                        for (int j = 0; j < 11; j++)
                        {
                            int p = n * h * w + (r + i) * w + (c + j);
                            double g = window[i, j], a = x[p], b = y[p];
                            mx += g * a;
                            my += g * b;
                            sxx += g * a * a;
                            syy += g * b * b;
                            sxy += g * a * b;
                        }
                    double vx = sxx - mx * mx, vy = syy - my * my, cov = sxy - mx * my;
                    total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                }
            result[n] = total / ((h - 10) * (w - 10));
        }
        return result;
    }
}
