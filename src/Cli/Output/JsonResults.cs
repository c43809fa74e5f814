using System.Text.Json;
using System.Text.Json.Nodes;
using Scratch.Cli.Runs;
using Scratch.Experiments.Metrics;

namespace Scratch.Cli.Output;

/// <summary>
/// The results of eval and compare as JSON (--json), for scripts: one object on stdout, numbers as
/// numbers, a non-finite value (PSNR of a perfect reconstruction) as null.
/// </summary>
public static class JsonResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Scores(ReconstructionScores s) => new() { ["re"] = Number(s.Re), ["psnr"] = Number(s.Psnr), ["ssim"] = Number(s.Ssim) };

    /// <summary>One model of a table: its scores on clean and noisy inputs, loss, epochs and time.</summary>
    public static JsonObject Run(RunSummary r) => new()
    {
        ["name"] = r.Name,
        ["kind"] = r.Spec.Kind,
        ["sizes"] = r.Spec.Config.Describe(),
        ["epochs"] = r.History.Count,
        ["clean"] = Scores(r.Scores),
        ["noisy"] = Scores(r.Denoised),
        ["testLoss"] = Number(r.TestLoss),
        ["seconds"] = r.TrainingTime is { } t ? t.TotalSeconds : null,
    };

    public static JsonObject Terms(IEnumerable<(string Name, double Value)> terms)
    {
        var o = new JsonObject();
        foreach (var (name, value) in terms) o[name] = Number(value);
        return o;
    }

    public static void Write(TextWriter output, JsonObject result)
    {
        output.WriteLine(result.ToJsonString(Indented));
        output.Flush();
    }

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
