using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Scratch.WeightsBridge;

/// <summary>
/// The JSON beside a bridged safetensors file, in the schema of tests/golden (tests/Shared/Golden.cs
/// reads it): <c>{"description", "tensors": {name: {"shape", "data"}}, "scalars": {name: value}}</c>.
/// It records the VAE's sizes (scalars <c>input</c>, <c>hidden.0</c>…, <c>latent</c>, <c>digits</c>: the
/// first N test images of data/mnist-sample) and each side's reconstructions of those digits
/// (<c>scratch.reconstruction</c>, <c>torchsharp.reconstruction</c>: (N, 784) float32 values in their
/// shortest round-trip text, so a double parse cast to float gives back the same bits).
/// </summary>
internal sealed class BridgeFile
{
    public string Description { get; set; } = "";
    public Dictionary<string, (int[] Shape, float[] Data)> Tensors { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);

    public int Input => (int)Scalars["input"];
    public int Latent => (int)Scalars["latent"];
    public int Digits => (int)Scalars["digits"];
    public int[] Hidden => [.. Enumerable.Range(0, 64).TakeWhile(i => Scalars.ContainsKey($"hidden.{i}")).Select(i => (int)Scalars[$"hidden.{i}"])];

    public void SetSizes(int input, IReadOnlyList<int> hidden, int latent, int digits)
    {
        Scalars["input"] = input;
        for (int i = 0; i < hidden.Count; i++) Scalars[$"hidden.{i}"] = hidden[i];
        Scalars["latent"] = latent;
        Scalars["digits"] = digits;
    }

    public static BridgeFile Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var file = new BridgeFile { Description = root.GetProperty("description").GetString() ?? "" };
        foreach (var t in root.GetProperty("tensors").EnumerateObject())
            file.Tensors[t.Name] = ([.. t.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())],
                                    [.. t.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble())]);
        foreach (var s in root.GetProperty("scalars").EnumerateObject()) file.Scalars[s.Name] = s.Value.GetDouble();
        return file;
    }

    // Keep quotes and apostrophes readable: these files are never embedded in HTML.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Write(string path)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        // float32 values as their shortest round-trip text: parsed as a double and cast back, the same bits.
        static string F32(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        var json = new StringBuilder();
        json.Append("{\n  \"description\": ").Append(JsonSerializer.Serialize(Description, Readable)).Append(",\n  \"tensors\": {");
        json.AppendJoin(",", Tensors.Select(t => $"\n    {JsonSerializer.Serialize(t.Key, Readable)}: {{\"shape\": [{string.Join(", ", t.Value.Shape)}], \"data\": [{string.Join(", ", t.Value.Data.Select(F32))}]}}"));
        json.Append("\n  },\n  \"scalars\": {");
        json.AppendJoin(",", Scalars.Select(s => $"\n    {JsonSerializer.Serialize(s.Key, Readable)}: {F(s.Value)}"));
        json.Append("\n  }\n}\n");
        File.WriteAllText(path, json.ToString());
    }
}
