using Scratch.Models.Checkpoints;
using Scratch.Models.Files;

namespace Scratch.Cli.Runs;

/// <summary>
/// The folder a run writes into. An earlier run there is never replaced without a word: starting
/// a run refuses a folder that holds one, with a hint (continue it, choose another folder, or say
/// --overwrite). With --overwrite the earlier run's files are deleted first, so the folder never
/// mixes the old pictures with the new checkpoint. Either way, temporary files that a killed run
/// left behind are removed. The folder is locked (<see cref="RunLock"/>) before it is looked at and
/// stays locked until the command disposes the lock, so two runs started at once cannot both claim it.
/// </summary>
public static class RunFolder
{
    // A folder holding one of these holds a run.
    private static readonly string[] RunMarkers =
        [ModelCheckpoint.FileName, "history.json", "report.html", .. Experiments.Generation.GenerationExperiment.ModelKeys.Select(Experiments.Generation.GenerationExperiment.CheckpointFile)];

    // What train and compare write, deleted by --overwrite; a user's own files are left alone.
    private static readonly string[] RunFileNames =
        [.. RunMarkers, "history.csv", "reconstructions.png", "denoising.png", "samples.png", "interpolation.png"];

    /// <summary>
    /// Makes <paramref name="folder"/> ready for a new run; <paramref name="canResume"/> says whether
    /// the refusal may suggest --resume (train can, compare cannot), and <paramref name="resumeWith"/>
    /// what to pass it (default: the folder's checkpoint.scratch). The command holds the returned lock
    /// until it has written the run.
    /// </summary>
    public static RunLock Claim(string folder, bool overwrite, bool canResume, string? resumeWith = null)
    {
        if (File.Exists(folder))
            throw new UsageException($"--out {folder} is a file; expected a folder for the run's checkpoint, history and pictures");
        var held = RunLock.Take(folder);
        try
        {
            var earlier = EarlierRunFiles(folder);
            if (earlier.Count > 0)
            {
                if (!overwrite)
                {
                    // Suggest a checkpoint that exists: the run may be one level down (compare's layout).
                string? checkpoint = resumeWith ?? earlier.FirstOrDefault(f => Path.GetFileName(f) == ModelCheckpoint.FileName);
                string resume = canResume && checkpoint is not null ? $"--resume {checkpoint} to continue it, " : "";
                    throw new UsageException($"--out {folder} already holds a run ({Path.GetRelativePath(folder, earlier[0])}…); pass {resume}a new --out, or --overwrite to replace it");
                }
                foreach (var file in earlier) File.Delete(file);
            }
            RemoveLeftovers(folder);
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Deletes temporary files of killed writers in the folder and in its run subfolders.</summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder)) return;
        AtomicFile.RemoveLeftovers(folder);
        foreach (var sub in Directory.GetDirectories(folder)) AtomicFile.RemoveLeftovers(sub);
    }

    // A run's files in the folder (train's layout) and one level down (compare's: one folder per model).
    private static List<string> EarlierRunFiles(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        static List<string> Own(string dir) =>
            RunMarkers.Any(n => File.Exists(Path.Combine(dir, n)))
                ? RunFileNames.Select(n => Path.Combine(dir, n)).Where(File.Exists).ToList()
                : [];
        var files = Own(folder);
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            files.AddRange(Own(sub));
        return files;
    }
}
