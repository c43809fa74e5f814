using System.Globalization;
using System.Text;
using System.Text.Json;
using Scratch.Cli.Pictures;
using Scratch.Models.Checkpoints;
using Scratch.Models.Files;
using Scratch.Models.Training;

namespace Scratch.Cli.Runs;

/// <summary>
/// The files a run leaves in its folder besides the checkpoint: the loss history as JSON (for
/// programs) and CSV (for spreadsheets), and the pictures as PNG — each written whole (AtomicFile).
/// </summary>
public static class RunFiles
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void WriteHistory(string folder, IReadOnlyList<EpochResult> history)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "history.json"), HistoryJson(history));
        AtomicFile.WriteAllText(Path.Combine(folder, "history.csv"), HistoryCsv(history));
    }

    public static IReadOnlyList<string> WritePictures(string folder, IEnumerable<Picture> pictures)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var picture in pictures)
        {
            var path = Path.Combine(folder, picture.FileName);
            AtomicFile.WriteAllBytes(path, picture.Png);
            paths.Add(path);
        }
        return paths;
    }

    // The same per-epoch records a checkpoint's metadata holds.
    public static string HistoryJson(IReadOnlyList<EpochResult> history) =>
        ModelCheckpoint.HistoryJson(history).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>epoch, train_loss, test_loss, then train_/test_ each term, seconds, samples_per_second; validation_loss last when early stopping held some images out.</summary>
    public static string HistoryCsv(IReadOnlyList<EpochResult> history)
    {
        var terms = history.SelectMany(r => r.TrainTerms.Select(t => t.Name)).Distinct().ToList();
        bool validated = history.Any(r => !double.IsNaN(r.ValidationLoss));
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", new[] { "epoch", "train_loss", "test_loss" }
            .Concat(terms.Select(t => "train_" + t)).Concat(terms.Select(t => "test_" + t)).Append("seconds").Append("samples_per_second")
            .Concat(validated ? ["validation_loss"] : [])));
        foreach (var r in history)
        {
            var cells = new List<string> { r.Epoch.ToString(C), F(r.TrainLoss), F(r.TestLoss) };
            cells.AddRange(terms.Select(t => F(Lookup(r.TrainTerms, t))));
            cells.AddRange(terms.Select(t => F(Lookup(r.TestTerms, t))));
            cells.Add(F(r.Duration.TotalSeconds));
            cells.Add(F(r.SamplesPerSecond));
            if (validated) cells.Add(F(r.ValidationLoss));
            sb.AppendLine(string.Join(",", cells));
        }
        return sb.ToString();
    }

    private static double Lookup(IReadOnlyList<(string Name, double Value)> terms, string name) =>
        terms.FirstOrDefault(t => t.Name == name) is var (n, v) && n == name ? v : double.NaN;

    // "R" keeps every bit of the double: the CSV can be compared with another run exactly.
    private static string F(double v) => v.ToString("R", C);
}
