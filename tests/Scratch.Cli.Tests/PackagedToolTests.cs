using System.Diagnostics;

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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scratch.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Scratch.sln above the test folder");
    }

    // Runs a program to completion (at most 5 minutes); fails the test with its output unless it exits 0.
    private static string Run(string file, string[] args, string folder)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); Assert.Fail($"{file} {string.Join(' ', args)}: timed out"); }
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{file} {string.Join(' ', args)}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
