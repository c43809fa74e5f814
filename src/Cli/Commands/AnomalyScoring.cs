using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scratch.Experiments.AnomalyDetection;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Files;
using Scratch.Models.Training;

namespace Scratch.Cli.Commands;

/// <summary>
/// scratch anomaly --score CHECKPOINT: the unsupervised use of a trained model. The training images
/// of --data (of --classes when given: what the model was meant to learn) set the threshold at a
/// stated percentile of their scores; every test image is then scored and flagged when its score is
/// above it. With --images FILE the images of that one IDX file (a user's own, no labels needed) are
/// scored instead of the test split. Writes scores.csv (for spreadsheets) and scores.json (with the
/// threshold and settings); an image without a label has an empty label cell (null in JSON).
/// </summary>
public static class AnomalyScoring
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public sealed record Request(string Checkpoint, ImageDataset Data, int[]? NormalClasses, string Measure, int Samples, double Percentile,
        ulong Seed, int TestLimit, Device Device, string Folder, LoadedImages? Images = null);

    public static int Run(CliContext context, Request request)
    {
        var loaded = ModelCheckpoint.Load(request.Checkpoint);
        var model = loaded.Model;
        var dataset = request.Data;
        CommonOptions.CheckImages(model.Config, dataset.Train, dataset.Source);
        if (request.Measure == "elbo" && model is not VariationalAutoencoder)
            throw new UsageException($"--measure elbo needs a VAE checkpoint; {request.Checkpoint} holds a {loaded.Spec.Kind}");
        model.To(request.Device);

        var reference = request.NormalClasses is { } digits ? OneClassProtocol.OfClasses(dataset.Train, digits) : dataset.Train;
        if (reference.Count == 0)
            throw new UsageException($"--classes: {dataset.Source} has no training images of class {string.Join(",", request.NormalClasses!)} to set the threshold");
        bool ownImages = request.Images is not null;
        var scored = request.Images?.Images ?? dataset.Test;
        bool labelled = scored.IsLabelled;
        var test = scored.Take(request.TestLimit);
        CommonOptions.CheckImages(model.Config, test, ownImages ? request.Images!.Path : dataset.Source);
        if (test.Count == 0)
            throw new UsageException($"{(ownImages ? $"--images {request.Images!.Path}" : $"the test split of {dataset.Source}")} holds no images to score");
        string source = ownImages ? $"images of {request.Images!.Path}" : $"test images of {dataset.Source}";
        string measureName = request.Measure == "re" ? "reconstruction error (MSE per pixel)"
            : request.Samples == 1 ? "-ELBO (nats)" : $"-IWAE bound with K = {request.Samples} (nats)";
        context.Line($"scoring {test.Count} {source} with {loaded.Spec.Kind} {loaded.Spec.Config.Describe()} from {request.Checkpoint}: {measureName}");

        var measure = new ScoreMeasure(request.Measure == "elbo", request.Samples, request.Seed);
        var isNormal = labelled && !ownImages && request.NormalClasses is { } normal ? test.Labels.Select(l => normal.Contains(l)).ToArray() : null;
        var result = ThresholdScoring.Run(model, measure, reference, test, isNormal, request.Percentile, request.Device);
        var (threshold, scores) = (result.Threshold, result.Scores);
        string classes = request.NormalClasses is { } d ? $"class {string.Join(",", d)}" : "all classes";
        context.Line(string.Format(C, "threshold {0:G6}: the {1}th percentile of the scores of {2} training images ({3}); {4} of {5} scored images are above it ({6:P1})",
            threshold, request.Percentile, reference.Count, classes, result.Flagged, test.Count, (double)result.Flagged / Math.Max(1, test.Count)));
        if (result.Auroc is { } auroc)
            context.Line(string.Format(C, "with the labels of the test images ({0} normal, the rest anomalies): AUROC {1:F4}", classes, auroc));

        // Locked only for the writes, which need nothing but the scores: a refused or failed scoring
        // creates no folder, and two scorings into one folder cannot leave one's csv beside the other's json.
        using var held = Runs.RunLock.Take(request.Folder);
        string csv = Path.Combine(request.Folder, "scores.csv"), json = Path.Combine(request.Folder, "scores.json");
        AtomicFile.WriteAllText(csv, Csv(labelled ? test.Labels : null, scores, threshold, request.Images?.Names));
        AtomicFile.WriteAllText(json, Json(request, loaded, dataset, reference.Count, threshold, labelled ? test.Labels : null, scores).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        context.Line($"wrote {csv} and {json}");
        return 0;
    }

    /// <summary>
    /// index,label,score,anomalous — one row per scored image, in file order; the label cell is empty
    /// without labels. Images read from files (a folder) get a file column after the index.
    /// </summary>
    public static string Csv(int[]? labels, double[] scores, double threshold, IReadOnlyList<string>? files = null)
    {
        var sb = new StringBuilder(files is null ? "index,label,score,anomalous\n" : "index,file,label,score,anomalous\n");
        for (int i = 0; i < scores.Length; i++)
        {
            string file = files is null ? "" : CsvCell(files[i]) + ",";
            sb.Append(C, $"{i},{file}{(labels is null ? "" : labels[i].ToString(C))},{scores[i]:R},{(scores[i] > threshold ? 1 : 0)}\n");
        }
        return sb.ToString();
    }

    /// <summary>A file name as one CSV cell: quoted (quotes doubled) when it holds a comma, quote or line break.</summary>
    public static string CsvCell(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    private static JsonObject Json(Request request, LoadedModel loaded, ImageDataset dataset, int referenceCount, double threshold, int[]? labels, double[] scores) => new()
    {
        ["checkpoint"] = request.Checkpoint,
        ["model"] = $"{loaded.Spec.Kind} {loaded.Spec.Config.Describe()}",
        ["data"] = dataset.Source,
        ["scored"] = request.Images?.Path ?? "test split of data",
        ["measure"] = request.Measure,
        ["samples"] = request.Measure == "elbo" ? request.Samples : null,
        ["thresholdPercentile"] = request.Percentile,
        ["thresholdClasses"] = request.NormalClasses is { } d ? new JsonArray(d.Select(x => (JsonNode)x).ToArray()) : null,
        ["thresholdImages"] = referenceCount,
        ["threshold"] = threshold,
        ["images"] = new JsonArray(Enumerable.Range(0, scores.Length).Select(i => (JsonNode)new JsonObject
        {
            ["index"] = i,
            ["label"] = labels is null ? null : labels[i],
            ["score"] = scores[i],
            ["anomalous"] = scores[i] > threshold,
        }).ToArray()),
    };
}
