using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.OldCheckpoints;

/// <summary>
/// Parses and validates a checkpoint's JSON header. Every way it can be wrong becomes a
/// <see cref="CheckpointFormatException"/> naming the file and the field; nothing from the
/// file is trusted before it is checked (types, ranges, overflow).
/// </summary>
internal static class CheckpointHeader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (JsonObject Metadata, List<TensorEntry> Tensors) Parse(string path, byte[] headerBytes)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw Fail(path, $"header is not valid UTF-8 (at byte {e.Index})", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Fail(path, $"header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail(path, $"header is a JSON {root.ValueKind}, expected an object");
            var fields = Fields(path, root, "header", ["format", "version", "metadata", "tensors"]);

            var format = Require(path, fields, "format", JsonValueKind.String, "header").GetString();
            if (format != CheckpointFormat.FormatName)
                throw Fail(path, $"header field 'format' is '{format}', expected '{CheckpointFormat.FormatName}'");
            var version = Require(path, fields, "version", JsonValueKind.Number, "header");
            if (!version.TryGetInt32(out int v) || v != CheckpointFormat.Version)
                throw Fail(path, $"header field 'version' is {version.GetRawText()}; this reader knows version {CheckpointFormat.Version}");

            var metadata = ParseMetadata(path, Require(path, fields, "metadata", JsonValueKind.Object, "header"));
            var tensorsElement = Require(path, fields, "tensors", JsonValueKind.Object, "header");
            var tensors = new List<TensorEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in tensorsElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw Fail(path, $"tensor name '{property.Name}' appears twice");
                tensors.Add(ParseTensor(path, property.Name, property.Value));
            }
            return (metadata, tensors);
        }
    }

    private static JsonObject ParseMetadata(string path, JsonElement element)
    {
        // JSON allows repeated keys but gives them no meaning; refuse them rather than let
        // one silently win (JsonObject would otherwise throw later, on first access).
        RejectDuplicateKeys(path, element, "metadata");
        return JsonNode.Parse(element.GetRawText())!.AsObject();
    }

    private static void RejectDuplicateKeys(string path, JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Fail(path, $"header field '{where}' has key '{property.Name}' twice");
                RejectDuplicateKeys(path, property.Value, $"{where}.{property.Name}");
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
                RejectDuplicateKeys(path, item, $"{where}[{i++}]");
        }
    }

    private static TensorEntry ParseTensor(string path, string name, JsonElement entry)
    {
        string where = $"tensor '{name}'";
        if (name.Length == 0)
            throw Fail(path, "a tensor has an empty name");
        if (entry.ValueKind != JsonValueKind.Object)
            throw Fail(path, $"{where} is a JSON {entry.ValueKind}, expected an object");
        var fields = Fields(path, entry, where, ["dtype", "shape", "offsets"]);

        string dtypeName = Require(path, fields, "dtype", JsonValueKind.String, where).GetString()!;
        DType dtype = dtypeName switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            _ => throw Fail(path, $"{where} has unknown dtype '{dtypeName}' (expected float32 or float64)"),
        };

        var shapeElement = Require(path, fields, "shape", JsonValueKind.Array, where);
        var shape = new int[shapeElement.GetArrayLength()];
        long elements = 1;
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d))
                throw Fail(path, $"{where} has shape entry {dim.GetRawText()}, expected an integer");
            if (d < 0)
                throw Fail(path, $"{where} has a negative dimension {d} in shape {shapeElement.GetRawText()}");
            if (d > int.MaxValue)
                throw Fail(path, $"{where} has dimension {d} in shape {shapeElement.GetRawText()}, more than 2^31-1");
            shape[i++] = (int)d;
            try
            {
                elements = checked(elements * d);
            }
            catch (OverflowException e)
            {
                throw Fail(path, $"{where} has shape {shapeElement.GetRawText()} whose element count overflows", e);
            }
        }
        if (elements > Array.MaxLength)
            throw Fail(path, $"{where} has shape {shapeElement.GetRawText()} with {elements} elements, more than one array can hold");
        long bytes = elements * dtype.ByteSize();

        var offsets = Require(path, fields, "offsets", JsonValueKind.Array, where);
        if (offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64IfNumber(out long begin) || !offsets[1].TryGetInt64IfNumber(out long end))
            throw Fail(path, $"{where} has offsets {offsets.GetRawText()}, expected [begin, end] as two integers");
        if (begin < 0 || end < begin)
            throw Fail(path, $"{where} has offsets [{begin}, {end}], expected 0 ≤ begin ≤ end");
        if (end - begin != bytes)
            throw Fail(path, $"{where} has offsets [{begin}, {end}] ({end - begin} bytes) but shape {shapeElement.GetRawText()} of {dtypeName} needs {bytes} bytes");

        return new TensorEntry(name, dtype, shape, (int)elements, begin, end);
    }

    private static bool TryGetInt64IfNumber(this JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }

    // The object's properties by name, refusing duplicates and names outside `allowed`:
    // a strict reader catches a hand-edited or corrupted header rather than guessing.
    private static Dictionary<string, JsonElement> Fields(string path, JsonElement obj, string where, string[] allowed)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
                throw Fail(path, $"{where} has unexpected field '{property.Name}' (allowed: {string.Join(", ", allowed)})");
            if (!fields.TryAdd(property.Name, property.Value))
                throw Fail(path, $"{where} has field '{property.Name}' twice");
        }
        return fields;
    }

    private static JsonElement Require(string path, Dictionary<string, JsonElement> fields, string name, JsonValueKind kind, string where)
    {
        if (!fields.TryGetValue(name, out var value))
            throw Fail(path, $"{where} is missing field '{name}'");
        if (value.ValueKind != kind)
            throw Fail(path, $"{where} field '{name}' is a JSON {value.ValueKind}, expected {kind}");
        return value;
    }

    private static CheckpointFormatException Fail(string path, string problem, Exception? inner = null) => new(path, problem, inner);
}
