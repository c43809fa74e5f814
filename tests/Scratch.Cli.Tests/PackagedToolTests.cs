using static Scratch.Cli.Tests.ChildProcess;

namespace Scratch.Cli.Tests;

/// <summary>
/// The README's install path, end to end: pack the CLI as a .NET tool, install it from the local
/// nupkg into a tool folder, and run it from a folder outside the repository (the bundled sample
/// travels with it). Slow for a unit test (a pack and a restore: tens of seconds) because it is
/// the only test of what a user installs.
/// </summary>
public class PackagedToolTests
{
    [Test]
    public void PacksInstallsAndRunsAsADotnetTool()
    {
        using var temp = new TempFolder();
        string repo = RepositoryRoot();
        Run("dotnet", ["pack", Path.Combine(repo, "src", "Cli"), "-c", "Release", "-o", temp.File("nupkg"), "--nologo"], repo);
        Assert.That(Directory.GetFiles(temp.File("nupkg"), "Scratch.Cli.*.nupkg"), Has.Length.EqualTo(1));
        Run("dotnet", ["tool", "install", "Scratch.Cli", "--tool-path", temp.File("tools"), "--add-source", temp.File("nupkg")], temp.Path);

        string tool = temp.File(OperatingSystem.IsWindows() ? "tools/scratch.exe" : "tools/scratch");
        Assert.That(Run(tool, ["--help"], temp.Path), Does.Contain("Usage:"));
        var output = Run(tool, ["train", "--model", "ae", "--hidden", "8", "--latent", "2", "--epochs", "1", "--train-limit", "64", "--test-limit", "32", "--out", "run", "-q"], temp.Path);
        Assert.That(output, Does.Contain("RE"));
        Assert.That(File.Exists(temp.File("run/checkpoint.scratch")), Is.True);
    }
}
