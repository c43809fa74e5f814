using Scratch.TorchReference;
using Scratch.TorchSharpSupport;
using static TorchSharp.torch;

// Writes the golden files of tests/golden/ from TorchSharp. Run from anywhere inside the repository:
//   dotnet run --project tools/TorchReference -c Release [-- output-folder]
Console.WriteLine(TorchSharpLoader.EnsureLoadable());
TorchSharpLoader.Verify();
set_default_dtype(ScalarType.Float64);

string outputFolder = args.Length > 0 ? args[0] : Path.Combine(RepositoryRoot(), "tests", "golden");
Directory.CreateDirectory(outputFolder);
Write(VaeMlpGolden.FileName, VaeMlpGolden.Build());
Write(OptimizerGolden.FileName, OptimizerGolden.Build());
Write(SsimGolden.FileName, SsimGolden.Build());
Write(ConvNetGolden.FileName, ConvNetGolden.Build());
Write(DcganGolden.FileName, DcganGolden.Build());
Write(ConvRgbGolden.FileName, ConvRgbGolden.Build());
Write(AvaeGolden.FileName, AvaeGolden.Build());
return 0;

void Write(string fileName, GoldenFile golden)
{
    string path = Path.Combine(outputFolder, fileName);
    golden.Write(path);
    Console.WriteLine($"wrote {path}");
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Scratch.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException(
        $"TorchReference: no Scratch.sln above '{Environment.CurrentDirectory}'; run inside the repository or pass an output folder.");
}
