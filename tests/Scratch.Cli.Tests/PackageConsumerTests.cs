using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using static Scratch.Cli.Tests.ChildProcess;

namespace Scratch.Cli.Tests;

/// <summary>
/// The engine as a NuGet user gets it: pack Kernels, Tensor, Autograd and Models into a folder feed,
/// then build and run a console program outside the repository that has only
/// <c>PackageReference Include="Scratch.Models"</c>. Its packages restore into a folder of its own, so
/// a Scratch.* 0.2.0 cached in ~/.nuget/packages from an older build can never stand in for the one
/// just packed; the rest (System.Numerics.Tensors, ILGPU) comes from nuget.org as for any user.
/// Slow for a unit test (four packs, a restore and a build: about a minute) because it is the only
/// test of what the packages hold.
/// </summary>
public class PackageConsumerTests
{
    private static readonly string[] Engine = ["Kernels", "Tensor", "Autograd", "Models"];
    // Packages that ship their XML docs (Kernels' come later).
    private static readonly string[] Sample =
        ["README.md", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "test-images-idx3-ubyte.gz", "test-labels-idx1-ubyte.gz"];

    private const string Version = "0.2.0";

    [Test]
    public void PackedEngine_BuildsAndTrainsInAConsumerProject()
    {
        using var temp = new TempFolder();
        string repo = RepositoryRoot();
        Assert.That(temp.Path, Does.Not.StartWith(repo), "the consumer must not see the repository's Directory.*.props");
        string feed = temp.File("feed");
        foreach (var project in Engine)
            Run("dotnet", ["pack", Path.Combine(repo, "src", project), "-c", "Release", "-o", feed, "--nologo", "-nodeReuse:false"], repo);

        foreach (var project in Engine)
        {
            var entries = Entries(Path.Combine(feed, $"Scratch.{project}.{Version}.nupkg"));
            Assert.That(entries, Does.Contain("README.md"), project);
            Assert.That(entries, Does.Contain($"lib/net10.0/Scratch.{project}.xml"), project);
        }
        Assert.That(Entries(Path.Combine(feed, $"Scratch.Models.{Version}.nupkg")),
            Is.SupersetOf(Sample.Select(f => "contentFiles/any/any/data/mnist-sample/" + f)));

        string consumer = temp.File("consumer");
        WriteConsumer(consumer, feed, packages: temp.File("packages"));
        Run("dotnet", ["build", consumer, "-c", "Release", "--nologo", "-nodeReuse:false"], temp.Path);
        Assert.That(Directory.Exists(temp.File($"packages/scratch.models/{Version}")), Is.True, "Scratch.Models did not come by package");
        using (var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer, "obj", "project.assets.json"))))
        {
            var libraries = assets.RootElement.GetProperty("libraries");
            foreach (var project in Engine)
                Assert.That(libraries.GetProperty($"Scratch.{project}/{Version}").GetProperty("type").GetString(), Is.EqualTo("package"), project);
        }

        // Run from another folder: the sample is found beside the program, not beside the caller.
        string bin = Path.Combine(consumer, "bin", "Release", "net10.0");
        var output = Run("dotnet", [Path.Combine(bin, "Consumer.dll")], temp.Path).Split('\n', StringSplitOptions.TrimEntries);
        TestContext.Out.WriteLine(string.Join('\n', output));

        var loss = double.Parse(output.Single(l => l.StartsWith("loss ", StringComparison.Ordinal))[5..], CultureInfo.InvariantCulture);
        Assert.That(double.IsFinite(loss), Is.True, $"loss {loss}");
        Assert.That(output, Does.Contain($"sample {Path.Combine(bin, "data", "mnist-sample")} 7996 2004"));
        Assert.That(Sample.Select(f => File.Exists(Path.Combine(bin, "data", "mnist-sample", f))), Is.All.True);
    }

    private static string[] Entries(string nupkg)
    {
        Assert.That(File.Exists(nupkg), Is.True, nupkg);
        using var zip = ZipFile.OpenRead(nupkg);
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    // A console project as `dotnet new console` writes it, plus the package; the empty Directory.*
    // files stop MSBuild's upward search, so nothing above the temp folder can leak in either.
    private static void WriteConsumer(string folder, string feed, string packages)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RestorePackagesPath>{packages}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Scratch.Models" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(folder, name), "<Project />\n");
        // Scratch.* only from the fresh feed; everything else from nuget.org, as this machine restores.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="scratch" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="scratch"><package pattern="Scratch.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using System.Globalization;
            using Scratch;
            using Scratch.Autograd;
            using Scratch.Models.Autoencoders;
            using Scratch.Models.Data;
            using Scratch.Models.Optim;

            var rng = new Rng(7);
            var x = Tensor.Rand([64, 784], rng);   // 64 random 28×28 "images" in [0, 1): (B, 784)
            var vae = new VariationalAutoencoder(new AutoencoderConfig { HiddenSizes = [64], LatentSize = 8 }, new Rng(1));
            var adam = new Adam(vae.Parameters(), learningRate: 1e-3);
            adam.ZeroGrad();
            var loss = vae.ComputeLoss(x, new TrainingContext(new Rng(2)));
            loss.Total.Backward();
            adam.Step();
            Console.WriteLine("loss " + loss.Value.ToString("R", CultureInfo.InvariantCulture));

            var sample = DataSource.Load(DataSource.SampleDirectory());   // the package's bundled sample
            Console.WriteLine($"sample {sample.Source} {sample.Train.Count} {sample.Test.Count}");
            """);
    }
}
