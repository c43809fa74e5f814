using System.Text.Json;

namespace Scratch.Testing;

/// <summary>
/// Reads the golden files in tests/golden, written once by tools/TorchReference (TorchSharp, float64):
/// { "description", "tensors": { name: { "shape", "data" } }, "scalars": { name: value } }.
/// The test suite itself needs no native library.
/// </summary>
internal sealed class Golden
{
    private readonly JsonElement _root;
    public string FileName { get; }

    private Golden(string fileName, JsonElement root)
    {
        FileName = fileName;
        _root = root;
    }

    public static Golden Load(string fileName)
    {
        var path = Path.Combine(Directory(), fileName);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return new Golden(fileName, doc.RootElement.Clone());
    }

    /// <summary>The full path of a file in tests/golden (the safetensors fixtures beside the JSON).</summary>
    public static string PathOf(string fileName) => Path.Combine(Directory(), fileName);

    public Tensor Tensor(string name)
    {
        if (!_root.GetProperty("tensors").TryGetProperty(name, out var t))
            throw new KeyNotFoundException($"{FileName}: no tensor '{name}'");
        var shape = t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = t.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return Scratch.Tensor.FromArray(data, shape);
    }

    public double Scalar(string name) => _root.GetProperty("scalars").GetProperty(name).GetDouble();

    private static string Directory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/golden not found above {AppContext.BaseDirectory}");
    }
}
