using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Models.Training;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// The parts of a run every family shares, as JSON both ways: an RNG stream's state and the loop's
/// history. JSON has no NaN or infinity, so a non-finite loss (a diverged test loss) is written as
/// null; 64-bit words are decimal strings.
/// </summary>
public static class RunJson
{
    /// <summary>An xoshiro state, with the cached normal kept by its bits so a resumed run draws exactly the same value.</summary>
    public static JsonObject Rng(RngState s) => new()
    {
        ["s0"] = U64(s.S0),
        ["s1"] = U64(s.S1),
        ["s2"] = U64(s.S2),
        ["s3"] = U64(s.S3),
        ["hasSpare"] = s.HasSpare,
        ["spareBits"] = U64((ulong)BitConverter.DoubleToInt64Bits(s.Spare)),
    };

    /// <summary>Reads what <see cref="Rng(RngState)"/> wrote; an all-zero state, which no generator can have, is refused.</summary>
    public static RngState Rng(MetadataReader read, JsonObject o, string where)
    {
        var state = new RngState(read.U64(o, "s0", where), read.U64(o, "s1", where), read.U64(o, "s2", where), read.U64(o, "s3", where),
            read.Bool(o, "hasSpare", where), BitConverter.Int64BitsToDouble((long)read.U64(o, "spareBits", where)));
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw read.Fail($"metadata field '{where}' is an all-zero xoshiro state, which no generator can have");
        return state;
    }

    /// <summary>The loop's history; the steps and the validation split's losses only where there are some.</summary>
    public static JsonArray History(IEnumerable<EpochResult> history) =>
        new(history.Select(r =>
        {
            var o = new JsonObject
            {
                ["epoch"] = r.Epoch,
                ["trainLoss"] = Number(r.TrainLoss),
                ["trainTerms"] = Terms(r.TrainTerms),
                ["testLoss"] = Number(r.TestLoss),
                ["testTerms"] = Terms(r.TestTerms),
                ["seconds"] = Number(r.Duration.TotalSeconds),
                ["samplesPerSecond"] = Number(r.SamplesPerSecond),
            };
            if (r.Steps > 0) o["steps"] = r.Steps;
            if (!double.IsNaN(r.ValidationLoss) || r.ValidationTerms.Count > 0)
            {
                o["validationLoss"] = Number(r.ValidationLoss);
                o["validationTerms"] = Terms(r.ValidationTerms);
            }
            return (JsonNode?)o;
        }).ToArray());

    /// <summary>Reads what <see cref="History(IEnumerable{EpochResult})"/> wrote, field by field.</summary>
    public static List<EpochResult> History(MetadataReader read, JsonArray array)
    {
        var history = new List<EpochResult>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            string w = $"history[{i}]";
            var o = array[i] as JsonObject ?? throw read.Fail($"metadata field '{w}' is not a JSON object");
            double seconds = read.Double(o["seconds"], $"{w}.seconds", allowNull: true);
            history.Add(new EpochResult(
                read.Int(o, "epoch", w),
                read.Double(o["trainLoss"], $"{w}.trainLoss", allowNull: true),
                read.Terms(read.Object(o, "trainTerms", w), $"{w}.trainTerms"),
                read.Double(o["testLoss"], $"{w}.testLoss", allowNull: true),
                read.Terms(read.Object(o, "testTerms", w), $"{w}.testTerms"),
                Duration(double.IsFinite(seconds) && seconds >= 0 ? seconds : 0),
                read.Double(o["samplesPerSecond"], $"{w}.samplesPerSecond", allowNull: true))
            {
                Steps = o.ContainsKey("steps") ? read.Count(o, "steps", w) : 0,
                ValidationLoss = o.ContainsKey("validationLoss") ? read.Double(o["validationLoss"], $"{w}.validationLoss", allowNull: true) : double.NaN,
                ValidationTerms = o.ContainsKey("validationTerms") ? read.Terms(read.Object(o, "validationTerms", w), $"{w}.validationTerms") : [],
            });
        }
        return history;
    }

    /// <summary>
    /// A duration written as seconds (TimeSpan.TotalSeconds), read back to the same tick. TimeSpan.FromSeconds
    /// truncates seconds·10⁷ to whole ticks, and that product can fall a hair below the tick it came from
    /// (0.4892982 s → 4892981.9999… ticks), so a checkpoint read and written again would change a digit.
    /// </summary>
    internal static TimeSpan Duration(double seconds) =>
        seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private static string U64(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A finite number as itself, anything else as null.</summary>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject Terms(IReadOnlyList<(string Name, double Value)> terms)
    {
        var o = new JsonObject();
        foreach (var (name, value) in terms) o[name] = Number(value);
        return o;
    }
}
