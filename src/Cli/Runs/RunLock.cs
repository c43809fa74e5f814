using System.Globalization;
using System.Text;

namespace Scratch.Cli.Runs;

/// <summary>
/// One writer per run folder: a command that writes a run holds this from before it looks at the
/// folder until it returns, so "is the folder free?" and "write the run" cannot be split by a
/// second scratch started at the same moment. The second one is refused with one line (an
/// <see cref="IOException"/>: exit 1) and changes nothing.
/// </summary>
/// <remarks>
/// The lock is the open handle of <see cref="FileName"/> with <see cref="FileShare.None"/> (flock on
/// Unix, a sharing mode on Windows; either refuses a second handle, in this process too), not the
/// file's existence: the OS closes the handle when the process ends, however it ends, so a lock file
/// that a killed run left behind opens freely and the next run takes it over. A handle cannot be
/// read by anyone else while it is held, so the holder's process id, for the refusal's message,
/// goes into <see cref="PidFileName"/> beside it.
/// <para>A clean release on Unix deletes the lock file while still holding it, then writes
/// <see cref="Released"/> into it and closes it: a process that opened the old file just before the
/// delete gets the handle afterwards, reads the marker, and opens the path again instead of locking
/// a file no longer in the folder. A file still in the folder never says released, so the retry
/// ends. (Windows cannot open a held file at all, and deletes it once closed.)</para>
/// </remarks>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".scratch-run.lock";
    public const string PidFileName = ".scratch-run.pid";

    private const string Released = "released";

    private readonly string _path;
    private FileStream? _stream;

    private RunLock(string path, FileStream stream) => (_path, _stream) = (path, stream);

    /// <summary>Locks <paramref name="folder"/> (created if missing) for this run, or refuses naming who holds it.</summary>
    /// <exception cref="IOException">Another scratch run, in this process or another, holds the folder.</exception>
    public static RunLock Take(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.GetFullPath(Path.Combine(folder, FileName));
        // Each retry means a holder released the file between our open and our lock.
        for (int attempt = 0; attempt < 100; attempt++)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (HeldElsewhere(e))
            {
                throw new IOException($"--out {folder} is in use by another scratch run ({Holder(folder)}); wait for it to end or choose another --out");
            }
            if (Read(stream).Trim() == Released)
            {
                stream.Dispose();
                continue;
            }
            // Ours now: a fresh file, or a stale one whose holder died without releasing it.
            var held = new RunLock(path, stream);
            try
            {
                Write(stream, "locked");
                File.WriteAllText(Path.Combine(folder, PidFileName), $"pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}\n");
            }
            catch
            {
                held.Dispose();
                throw;
            }
            return held;
        }
        throw new IOException($"--out {folder}: could not lock {FileName}; other scratch runs keep starting and ending there");
    }

    /// <summary>Deletes the pid file and the lock file, then closes the lock; see the remarks for the order.</summary>
    public void Dispose()
    {
        if (_stream is not { } stream) return;
        _stream = null;
        TryDelete(Path.Combine(Path.GetDirectoryName(_path)!, PidFileName));
        // Unix deletes it while we still hold it; Windows refuses while our handle is open.
        bool deleted = TryDelete(_path);
        try
        {
            if (deleted) Write(stream, Released);
        }
        catch (IOException) { }
        stream.Dispose();
        if (!deleted) TryDelete(_path);
    }

    // The open failed because another handle holds the file: EWOULDBLOCK from flock (11 on Linux,
    // 35 on macOS) or ERROR_SHARING_VIOLATION on Windows. A full disk or a bad path is reported as itself.
    private static bool HeldElsewhere(IOException e) =>
        e.HResult is 11 or 35 or unchecked((int)0x80070020);

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a lock file left behind is stale once closed, and the next run takes it over
        }
    }

    // "pid 1234" as the holder wrote it; it writes it just after taking the lock, so wait a moment for it.
    private static string Holder(string folder)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                string text = File.ReadAllText(Path.Combine(folder, PidFileName)).Trim();
                if (text.StartsWith("pid ", StringComparison.Ordinal)) return text;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            Thread.Sleep(25);
        }
        return "pid unknown";
    }

    private static string Read(FileStream stream)
    {
        var buffer = new byte[64];
        int n = stream.Read(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static void Write(FileStream stream, string text)
    {
        stream.SetLength(0);
        stream.Position = 0;
        stream.Write(Encoding.ASCII.GetBytes(text + "\n"));
        stream.Flush();
    }
}
