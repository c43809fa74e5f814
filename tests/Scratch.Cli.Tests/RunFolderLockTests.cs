using System.Diagnostics;
using Scratch.Cli.Runs;

namespace Scratch.Cli.Tests;

/// <summary>
/// The run-folder rule under races (issue 25, item 1): two runs started at the same moment into
/// one --out both used to exit 0, one silently replacing the other (12 of 12 pairs). Now the
/// folder is locked before it is looked at: one run writes, the other gets one line, exit 1.
/// A race needs real processes; CliRunner runs in-process.
/// </summary>
public class RunFolderLockTests
{
    private const int Pairs = 4;

    // Three epochs: the winner holds the folder for a second or more, far longer than the two starts are apart.
    private static string[] TrainArgs(string folder) =>
        ["train", "--model", "ae", "--epochs", "3", "--threads", "1", "-q", "--out", folder, .. TinyRuns.TinyRecipe];

    [Test]
    public void TrainRunsStartedTogetherIntoOneFolder_OneRunsAndTheOtherIsRefused()
    {
        using var temp = new TempFolder();
        for (int pair = 0; pair < Pairs; pair++)
        {
            string folder = temp.File($"run{pair}");
            using var first = Scratch(TrainArgs(folder));
            using var second = Scratch(TrainArgs(folder));
            var results = new[] { Finish(first), Finish(second) };
            Assert.That(results.Count(r => r.ExitCode == 0), Is.EqualTo(1), $"pair {pair}: exactly one run may write {folder}\n{string.Join("\n", results)}");
            var refused = results.Single(r => r.ExitCode != 0);
            Assert.That(refused.ErrorLines, Has.Length.EqualTo(1), refused.ToString());
            // Started together, the loser finds the lock (exit 1). On a machine so loaded that the second
            // process only starts once the first has finished, it finds the finished run instead (exit 2):
            // also one line, and nothing lost — what the old code never did was refuse at all.
            if (refused.ExitCode == 1)
                Assert.That(refused.Error, Does.Contain($"--out {folder} is in use by another scratch run (pid "));
            else
            {
                Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
                Assert.That(refused.Error, Does.Contain("already holds a run"), refused.ToString());
            }
            Assert.That(FileNames(folder), Is.EquivalentTo(new[] { "checkpoint.scratch", "history.json", "history.csv", "reconstructions.png", "interpolation.png" }));
        }
    }

    [Test]
    public void ALockFileLeftByAKilledRun_DoesNotBlockTheNextRun()
    {
        using var temp = new TempFolder();
        string folder = temp.File("run");
        string lockFile = Path.Combine(folder, RunLock.FileName);
        using (var killed = Scratch(["train", "--model", "ae", "--epochs", "1000", "--threads", "1", "-q", "--out", folder, .. TinyRuns.TinyRecipe]))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(folder, RunLock.PidFileName)) && clock.Elapsed < TimeSpan.FromMinutes(2) && !killed.HasExited) Thread.Sleep(20);
            Assert.That(killed.HasExited, Is.False, "the run to kill ended by itself");
            killed.Kill(entireProcessTree: true);
            killed.WaitForExit();
        }
        Assert.That(File.Exists(lockFile), Is.True, "a killed run cannot delete its lock file: this test needs it left behind");

        // The killed run may have saved an epoch: --overwrite, so only the lock could refuse.
        CliRunner.Ok(["train", "--model", "ae", "--epochs", "1", "--threads", "1", "-q", "--overwrite", "--out", folder, .. TinyRuns.TinyRecipe]);
        Assert.That(FileNames(folder), Does.Not.Contain(RunLock.FileName).And.Not.Contain(RunLock.PidFileName));
    }

    [Test]
    public void AHeldFolder_IsRefusedInTheSameProcessToo_AndFreeOnceReleased()
    {
        using var temp = new TempFolder();
        string folder = temp.File("run");
        using (RunFolder.Claim(folder, overwrite: false, canResume: true))
        {
            var e = Assert.Throws<IOException>(() => RunFolder.Claim(folder, overwrite: false, canResume: true));
            Assert.That(e!.Message, Does.StartWith($"--out {folder} is in use by another scratch run (pid {Environment.ProcessId})"));
            CliRunner.Run(TrainArgs(folder)).AssertOneLineError(1, folder, "in use");
            Assert.That(FileNames(folder), Is.EquivalentTo(new[] { RunLock.FileName, RunLock.PidFileName }), "the refused run wrote nothing");
        }
        Assert.That(FileNames(folder), Is.Empty, "releasing deletes the lock and pid files");
        CliRunner.Ok(TrainArgs(folder));
    }

    [Test]
    public void AResumeOfAHeldRun_IsRefused_AndAFinishedResumeLeavesNoLock()
    {
        using var temp = new TempFolder();
        string folder = temp.File("run");
        CliRunner.Ok(["train", "--model", "ae", "--epochs", "1", "--threads", "1", "-q", "--out", folder, .. TinyRuns.TinyRecipe]);
        var before = File.ReadAllBytes(TinyRuns.Checkpoint(folder));
        using (RunLock.Take(folder))
            CliRunner.Run(["train", "--resume", folder, "--epochs", "2", "-q"]).AssertOneLineError(1, folder, "in use");
        Assert.That(File.ReadAllBytes(TinyRuns.Checkpoint(folder)), Is.EqualTo(before), "the refused resume changed the checkpoint");
        CliRunner.Ok(["train", "--resume", folder, "--epochs", "2", "-q"]);
        Assert.That(FileNames(folder), Is.EquivalentTo(new[] { "checkpoint.scratch", "history.json", "history.csv", "reconstructions.png", "interpolation.png" }));
    }

    [Test]
    public void NoLockFileIsLeftByARunOrByARefusal()
    {
        using var temp = new TempFolder();
        string folder = temp.File("run");
        CliRunner.Ok(TrainArgs(folder));
        var written = FileNames(folder);
        Assert.That(written, Is.EquivalentTo(new[] { "checkpoint.scratch", "history.json", "history.csv", "reconstructions.png", "interpolation.png" }));
        CliRunner.Run(TrainArgs(folder)).AssertOneLineError(2, "already holds a run");
        Assert.That(FileNames(folder), Is.EquivalentTo(written));
    }

    private static string[] FileNames(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().ToArray();

    // The built CLI beside the tests, started as its own process.
    private static Process Scratch(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scratch.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static CliResult Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("scratch train timed out");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
