using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// Reads the fields of one checkpoint's JSON metadata and trusts none of them: every field is
/// checked for presence and type, and a bad one becomes a <see cref="CheckpointFormatException"/>
/// naming the file and the field ("metadata field 'recipe.model.latent' is "x", expected a 32-bit integer").
/// </summary>
/// <remarks>
/// 64-bit integers (seeds, RNG words, the spare normal's bits) are decimal strings: JSON numbers are
/// doubles to most readers, which would silently round them.
/// </remarks>
public sealed class MetadataReader(string path)
{
    /// <summary>The file the metadata came from, named in every refusal.</summary>
    public string Path { get; } = path;

    /// <summary>A refusal of the file for <paramref name="problem"/>.</summary>
    public CheckpointFormatException Fail(string problem) => new(Path, problem);

    /// <summary>The object at <paramref name="key"/> of <paramref name="parent"/>, which is at <paramref name="where"/>.</summary>
    public JsonObject Object(JsonObject parent, string key, string where) =>
        Field(parent, key, where) as JsonObject ?? throw Fail($"metadata field '{where}.{key}' is not a JSON object");

    /// <summary>The array at <paramref name="key"/>.</summary>
    public JsonArray Array(JsonObject parent, string key, string where) =>
        Field(parent, key, where) as JsonArray ?? throw Fail($"metadata field '{where}.{key}' is not a JSON array");

    /// <summary>The string at <paramref name="key"/>.</summary>
    public string String(JsonObject parent, string key, string where) =>
        Field(parent, key, where) is JsonValue v && v.TryGetValue(out string? s)
            ? s
            : throw Fail($"metadata field '{where}.{key}' is not a string");

    /// <summary>The boolean at <paramref name="key"/>.</summary>
    public bool Bool(JsonObject parent, string key, string where) =>
        Field(parent, key, where) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Fail($"metadata field '{where}.{key}' is not true or false");

    /// <summary>The 32-bit integer at <paramref name="key"/>.</summary>
    public int Int(JsonObject parent, string key, string where) => Int(Field(parent, key, where), $"{where}.{key}");

    /// <summary>A non-negative 32-bit integer at <paramref name="key"/> (a count).</summary>
    public int Count(JsonObject parent, string key, string where)
    {
        int n = Int(parent, key, where);
        return n >= 0 ? n : throw Fail($"metadata field '{where}.{key}' is {n}, expected ≥ 0");
    }

    /// <summary><paramref name="node"/> as a 32-bit integer.</summary>
    public int Int(JsonNode? node, string where) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out JsonElement e) && e.TryGetInt32(out int i)
            ? i
            : throw Fail($"metadata field '{where}' is {Show(node)}, expected a 32-bit integer");

    /// <summary>The number at <paramref name="key"/>.</summary>
    public double Double(JsonObject parent, string key, string where) => Double(Field(parent, key, where), $"{where}.{key}", allowNull: false);

    /// <summary>A number, or NaN for null (a value that was not finite when written) when <paramref name="allowNull"/>.</summary>
    public double Double(JsonNode? node, string where, bool allowNull)
    {
        if (node is null && allowNull) return double.NaN;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out JsonElement e) && e.TryGetDouble(out double d))
            return d;
        throw Fail($"metadata field '{where}' is {Show(node)}, expected a number");
    }

    /// <summary>An unsigned 64-bit integer written as a decimal string.</summary>
    public ulong U64(JsonObject parent, string key, string where)
    {
        var s = String(parent, key, where);
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
            ? v
            : throw Fail($"metadata field '{where}.{key}' is \"{s}\", expected an unsigned 64-bit integer in a string");
    }

    /// <summary>An enum written as its lower-case name; no numbers, no case games.</summary>
    public TEnum Enum<TEnum>(JsonObject parent, string key, string where) where TEnum : struct, System.Enum
    {
        var s = String(parent, key, where);
        foreach (var value in System.Enum.GetValues<TEnum>())
            if (value.ToString().ToLowerInvariant() == s) return value;
        var names = string.Join(", ", System.Enum.GetValues<TEnum>().Select(v => v.ToString().ToLowerInvariant()));
        throw Fail($"metadata field '{where}.{key}' is '{s}', expected one of {names}");
    }

    /// <summary>Named numbers ({"reconstruction": 98.2, "kl": null}) as (name, value) pairs; null reads as NaN.</summary>
    public IReadOnlyList<(string Name, double Value)> Terms(JsonObject o, string where) =>
        o.Select(p => (p.Key, Double(p.Value, $"{where}.{p.Key}", allowNull: true))).ToArray();

    private JsonNode? Field(JsonObject parent, string key, string where) =>
        parent.TryGetPropertyValue(key, out var node)
            ? node
            : throw Fail($"metadata has no field '{where}.{key}'");

    private static string Show(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
