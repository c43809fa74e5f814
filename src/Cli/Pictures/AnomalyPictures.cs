using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Data;
using Scratch.Experiments.Imaging;

namespace Scratch.Cli.Pictures;

/// <summary>
/// What a detector finds normal and strange within its own class: the test digits of the normal
/// class it scores lowest (top rows) and highest (bottom rows). The highest are often badly
/// written or mislabelled digits — the images a one-class detector should flag.
/// </summary>
public static class AnomalyPictures
{
    public const int Columns = 16;

    /// <summary>Two rows of the 16 least anomalous test digits of the class, then the 16 most anomalous (most anomalous first).</summary>
    public static Picture ExtremesOfClass(ClassScores scores, ImageSet test)
    {
        int digit = scores.NormalClass;
        var ofClass = Enumerable.Range(0, test.Count).Where(i => test.Labels[i] == digit).OrderBy(i => scores.Scores[i]).ThenBy(i => i).ToArray();
        int n = Math.Min(Columns, ofClass.Length);
        var least = ofClass[..n];
        var most = ofClass[^n..].Reverse().ToArray();
        var rows = new List<float[]> { Gather(test, least), Gather(test, most) };
        string file = $"class{digit}-{Slug(scores.ScoreName)}.png";
        string caption = $"{scores.ScoreName}, normal class {digit}: its {n} test digits of class {digit} with the lowest scores (top row) "
            + "and the highest (bottom row, most anomalous first)";
        return new Picture(file, caption, PngEncoder.Encode(ImageGrid.Compose(rows, test.Rows, test.Cols, channels: test.Shape.Channels)));
    }

    private static float[] Gather(ImageSet split, int[] indices)
    {
        int p = split.PixelsPerImage;
        var values = new float[indices.Length * p];
        for (int k = 0; k < indices.Length; k++) split.CopyImage(indices[k], values.AsSpan(k * p, p));
        return values;
    }

    /// <summary>"vae -IWAE(K=5)" → "vae-iwae-k-5": a file name part.</summary>
    public static string Slug(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        return string.Join("-", new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
