using System.Runtime.InteropServices;

namespace Scratch.TorchSharpSupport;

/// <summary>
/// Call <see cref="EnsureLoadable()"/> once before the first TorchSharp call.
///
/// Why: TorchSharp 0.107's libLibTorchSharp.so was built with GCC 13 and asks libstdc++ for version
/// GLIBCXX_3.4.32 (for one symbol, std::ios_base_library_init). Debian 12's libstdc++ stops at 3.4.30,
/// so the dynamic linker refuses the library and TorchSharp reports a misleading "doesn't contain a
/// reference to libtorch-cpu-linux-x64". libtorch itself needs nothing newer.
///
/// What: when (and only when) the system libstdc++ lacks a version the library asks for, rewrite the
/// copies in this program's build output (never the NuGet cache) so the version is weak and its
/// symbols unversioned; if a relocation really uses such a symbol, build and globally load a one-line
/// shim that defines it. Then open the library once, so a failure surfaces here with the linker's own
/// message. On GCC ≥ 13 systems, or off linux-x64, it only checks and returns.
/// </summary>
public static partial class TorchSharpLoader
{
    public const string NativeLibraryName = "libLibTorchSharp.so";

    private static readonly Lock Gate = new();
    private static TorchSharpLoadReport? _report;

    /// <summary>Idempotent and thread-safe: the work happens on the first call; later calls return its report.</summary>
    public static TorchSharpLoadReport EnsureLoadable()
    {
        lock (Gate)
            return _report ??= Run(AppContext.BaseDirectory);
    }

    /// <summary>The folders of a build output where TorchSharp looks for its native libraries:
    /// the RID folder (dotnet build), the flat root (dotnet publish -r), and cpu/, where TorchSharp
    /// copies its natives itself after a failed first load.</summary>
    public static IReadOnlyList<string> NativeDirectories(string baseDirectory) =>
    [
        Path.Combine(baseDirectory, "runtimes", "linux-x64", "native"),
        baseDirectory,
        Path.Combine(baseDirectory, "cpu"),
    ];

    private static TorchSharpLoadReport Run(string baseDirectory)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return new TorchSharpLoadReport(null, [], [], [], null, null);

        var copies = NativeDirectories(baseDirectory)
            .Select(d => Path.Combine(d, NativeLibraryName))
            .Where(File.Exists)
            .ToList();
        if (copies.Count == 0)
            throw new FileNotFoundException(
                $"TorchSharpLoader: no {NativeLibraryName} in any of {string.Join(", ", NativeDirectories(baseDirectory))}. " +
                "Does this project reference the TorchSharp-cpu package (directly or through TorchSharpSupport)?");

        string libStdCxx = SystemLibStdCxx.Locate();
        var available = SystemLibStdCxx.DefinedVersions(libStdCxx);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var patched = new List<string>();
        var shimSymbols = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var copy in copies)
        {
            var missingHere = MissingVersionPatcher.MissingVersions(copy, SystemLibStdCxx.SoName, available);
            if (missingHere.Count == 0) continue;
            RefuseNuGetCache(copy);
            missing.UnionWith(missingHere);
            if (MissingVersionPatcher.Patch(copy, missingHere).Changed) patched.Add(copy);
            shimSymbols.UnionWith(SymbolShim.Needed(copy, libStdCxx));
        }

        string primary = copies[0];
        string? shim = shimSymbols.Count > 0 ? SymbolShim.BuildAndLoad(Path.GetDirectoryName(primary)!, shimSymbols) : null;
        LoadOnce(primary);
        return new TorchSharpLoadReport(libStdCxx, missing.ToList(), patched, copies, shim, primary);
    }

    // TorchSharp later opens the same path and gets this same handle; opening it here first turns
    // TorchSharp's generic "doesn't contain a reference" into the dynamic linker's exact complaint.
    private static void LoadOnce(string library)
    {
        try
        {
            NativeLibrary.Load(library);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"TorchSharpLoader: '{library}' still does not load after the libstdc++ fix: {e.Message}", e);
        }
    }

    private static void RefuseNuGetCache(string path)
    {
        string real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (real.StartsWith(Path.GetFullPath(cache), StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"TorchSharpLoader: '{path}' resolves into the NuGet cache ('{real}'); refusing to patch a shared package file.");
    }
}
