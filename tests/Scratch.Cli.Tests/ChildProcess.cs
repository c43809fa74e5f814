using System.Diagnostics;

namespace Scratch.Cli.Tests;

/// <summary>What the packaging tests share: the checkout they belong to, and running a program to completion.</summary>
internal static class ChildProcess
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scratch.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Scratch.sln above the test folder");
    }

    // Runs a program to completion (at most 5 minutes); fails the test with its output unless it exits 0.
    public static string Run(string file, string[] args, string folder)
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
