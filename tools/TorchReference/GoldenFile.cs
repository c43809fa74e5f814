using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Scratch.TorchReference;

/// <summary>
/// One golden JSON file, in the schema the Scratch tests read:
/// <c>{"description": "...", "tensors": {"name": {"shape": [..], "data": [row-major doubles]}}, "scalars": {"name": value}}</c>.
/// Doubles are written with "R" so every value parses back to the exact same bits.
/// Names keep the order they were added in, so a diff between two generations reads top to bottom.
/// </summary>
internal sealed class GoldenFile(string description)
{
    private readonly List<(string Name, long[] Shape, double[] Data)> _tensors = [];
    private readonly List<(string Name, double Value)> _scalars = [];

    // Keep '+', '<' and quotes readable in the formulas: these files are never embedded in HTML.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Add(string name, Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float64)
            throw new ArgumentException($"GoldenFile.Add('{name}'): expected float64, got {tensor.dtype}.");
        var data = tensor.detach().contiguous().data<double>().ToArray();
        Add(name, tensor.shape, data);
    }

    public void Add(string name, long[] shape, double[] data)
    {
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != data.Length)
            throw new ArgumentException($"GoldenFile.Add('{name}'): shape [{string.Join(", ", shape)}] holds {expected} values, data has {data.Length}.");
        RefuseDuplicate(name);
        foreach (var v in data) RequireFinite(name, v);
        _tensors.Add((name, shape, data));
    }

    public void AddScalar(string name, double value)
    {
        RefuseDuplicate(name);
        RequireFinite(name, value);
        _scalars.Add((name, value));
    }

    public void AddScalar(string name, Tensor scalar) => AddScalar(name, scalar.detach().item<double>());

    public void Write(string path)
    {
        var json = new StringBuilder();
        json.Append("{\n  \"description\": ").Append(JsonSerializer.Serialize(description, Readable)).Append(",\n");
        json.Append("  \"tensors\": {");
        for (int t = 0; t < _tensors.Count; t++)
        {
            var (name, shape, data) = _tensors[t];
            json.Append(t == 0 ? "\n" : ",\n");
            json.Append("    ").Append(JsonSerializer.Serialize(name, Readable)).Append(": {\"shape\": [")
                .Append(string.Join(", ", shape)).Append("], \"data\": [")
                .Append(string.Join(", ", data.Select(Format))).Append("]}");
        }
        json.Append("\n  },\n  \"scalars\": {");
        for (int s = 0; s < _scalars.Count; s++)
            json.Append(s == 0 ? "\n" : ",\n").Append("    ").Append(JsonSerializer.Serialize(_scalars[s].Name, Readable))
                .Append(": ").Append(Format(_scalars[s].Value));
        json.Append("\n  }\n}\n");
        File.WriteAllText(path, json.ToString());
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void RefuseDuplicate(string name)
    {
        if (_tensors.Any(t => t.Name == name) || _scalars.Any(s => s.Name == name))
            throw new ArgumentException($"GoldenFile: the name '{name}' is already used in this file.");
    }

    // JSON has no NaN or Infinity; a non-finite golden value is a bug in the generator anyway.
    private static void RequireFinite(string name, double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"GoldenFile: '{name}' contains {value}, which JSON cannot hold.");
    }
}
