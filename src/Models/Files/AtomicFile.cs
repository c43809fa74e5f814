using System.Text;
using System.Text.RegularExpressions;

namespace Scratch.Models.Files;

/// <summary>
/// Every file the program writes lands whole: the bytes go to a temporary file in the same folder
/// (".name.&lt;32 hex digits&gt;.tmp"), are flushed to the disk, and only then renamed over the
/// target. A kill at any moment leaves the old file or the new one, never a torn one. (Same folder,
/// because a rename is atomic only within one file system.) A kill can still leave the temporary
/// file behind; <see cref="RemoveLeftovers"/> deletes those when a run starts in the folder.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>, replacing it.</summary>
    /// <exception cref="IOException"><paramref name="path"/> is a folder, or the write or rename fails (the target is then unchanged).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"{path}: has no folder to write into");
        if (Directory.Exists(fullPath))
            throw new IOException($"{path} is a folder; cannot write a file there");
        string temp = TempName(fullPath);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } // no-op if it was never created
            catch (IOException) { } // the original failure is the one worth reporting
            throw;
        }
    }

    /// <summary><see cref="File.WriteAllBytes(string, byte[])"/>, but atomic: readers see the old file or all of <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary><see cref="File.WriteAllText(string, string)"/> as UTF-8 without a BOM, but atomic: readers see the old file or all of <paramref name="text"/>.</summary>
    public static void WriteAllText(string path, string text) => Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>The temporary name beside <paramref name="fullPath"/>: hidden, unique, recognisable.</summary>
    public static string TempName(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Deletes the temporary files a killed writer left in <paramref name="folder"/> (only names of
    /// the form this class makes); returns their paths. Call it when no writer is running there.
    /// </summary>
    public static IReadOnlyList<string> RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (!LeftoverName().IsMatch(Path.GetFileName(file))) continue;
            File.Delete(file);
            removed.Add(file);
        }
        return removed;
    }

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex LeftoverName();
}
