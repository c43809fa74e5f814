using System.Text;
using System.Text.Json;

namespace Scratch.Models.Checkpoints;

/// <summary>
/// Parses and validates a safetensors header: every way it can be wrong is one
/// <see cref="CheckpointFormatException"/> naming the file and the entry; nothing from the file is
/// trusted before it is checked (types, ranges, overflow). The checks mirror the safetensors
/// library's: a JSON object, <c>__metadata__</c> a string→string map, every other key a tensor with
/// exactly dtype, shape and data_offsets.
/// </summary>
internal static class SafetensorsHeader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (IReadOnlyDictionary<string, string> Metadata, List<TensorEntry> Tensors) Parse(string path, byte[] headerBytes)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CheckpointFormatException(path, $"header is not valid UTF-8 (at byte {e.Index})", e);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail(path, $"header is a JSON {root.ValueKind}, expected an object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<TensorEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw Fail(path, $"header key '{property.Name}' appears twice");
                if (property.Name == Safetensors.MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw Fail(path, $"{Safetensors.MetadataKey} is a JSON {property.Value.ValueKind}, expected an object of strings");
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        if (item.Value.ValueKind != JsonValueKind.String)
                            throw Fail(path, $"{Safetensors.MetadataKey} value '{item.Name}' is a JSON {item.Value.ValueKind}; safetensors metadata values are strings");
                        if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                            throw Fail(path, $"{Safetensors.MetadataKey} has key '{item.Name}' twice");
                    }
                    continue;
                }
                tensors.Add(ParseTensor(path, property.Name, property.Value));
            }
            return (metadata, tensors);
        }
    }

    private static TensorEntry ParseTensor(string path, string name, JsonElement entry)
    {
        string where = $"tensor '{name}'";
        if (name.Length == 0) throw Fail(path, "a tensor has an empty name");
        if (entry.ValueKind != JsonValueKind.Object) throw Fail(path, $"{where} is a JSON {entry.ValueKind}, expected an object");
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in entry.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeElement is null: dtypeElement = field.Value; break;
                case "shape" when shapeElement is null: shapeElement = field.Value; break;
                case "data_offsets" when offsetsElement is null: offsetsElement = field.Value; break;
                default: throw Fail(path, $"{where} has unexpected or repeated field '{field.Name}' (allowed: dtype, shape, data_offsets)");
            }
        }
        if (dtypeElement is not { ValueKind: JsonValueKind.String } dt) throw Fail(path, $"{where} needs a string field 'dtype'");
        string dtypeName = dt.GetString()!;
        DType dtype = dtypeName switch
        {
            "F32" => DType.Float32,
            "F64" => DType.Float64,
            _ => throw Fail(path, $"{where} has dtype '{dtypeName}'; Scratch reads F32 and F64 (convert the tensor to float32 first)"),
        };
        if (shapeElement is not { ValueKind: JsonValueKind.Array } shapeArray) throw Fail(path, $"{where} needs an array field 'shape'");
        var shape = new int[shapeArray.GetArrayLength()];
        long elements = 1;
        int i = 0;
        foreach (var dim in shapeArray.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0 || d > int.MaxValue)
                throw Fail(path, $"{where} has shape {shapeArray.GetRawText()}; each dimension must be an integer in 0..2^31-1");
            shape[i++] = (int)d;
            try
            {
                elements = checked(elements * d);
            }
            catch (OverflowException e)
            {
                throw new CheckpointFormatException(path, $"{where} has shape {shapeArray.GetRawText()} whose element count overflows", e);
            }
        }
        if (elements > Array.MaxLength) throw Fail(path, $"{where} has shape {shapeArray.GetRawText()} with {elements} elements, more than one array can hold");
        long bytes = elements * dtype.ByteSize();
        if (offsetsElement is not { ValueKind: JsonValueKind.Array } offsets || offsets.GetArrayLength() != 2
            || offsets[0].ValueKind != JsonValueKind.Number || !offsets[0].TryGetInt64(out long begin)
            || offsets[1].ValueKind != JsonValueKind.Number || !offsets[1].TryGetInt64(out long end))
            throw Fail(path, $"{where} needs 'data_offsets' as [begin, end], two integers");
        if (begin < 0 || end < begin) throw Fail(path, $"{where} has data_offsets [{begin}, {end}], expected 0 ≤ begin ≤ end");
        if (end - begin != bytes)
            throw Fail(path, $"{where} has data_offsets [{begin}, {end}] ({end - begin} bytes) but shape {shapeArray.GetRawText()} of {dtypeName} needs {bytes} bytes");
        return new TensorEntry(name, dtype, shape, (int)elements, begin, end);
    }

    private static CheckpointFormatException Fail(string path, string problem) => new(path, problem);
}
