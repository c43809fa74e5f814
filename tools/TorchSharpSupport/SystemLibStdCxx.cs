namespace Scratch.TorchSharpSupport;

/// <summary>
/// The libstdc++ this process uses, and the symbol versions it defines (GLIBCXX_3.4.30, CXXABI_1.3.13, ...).
/// The .NET runtime itself links libstdc++.so.6, so the copy already mapped into this process is exactly
/// the one the dynamic linker will hand to TorchSharp; reading /proc/self/maps finds it without guessing.
/// </summary>
internal static class SystemLibStdCxx
{
    public const string SoName = "libstdc++.so.6";

    private static readonly string[] FallbackPaths =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    public static string Locate()
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            // "addr perms offset dev inode   /path": the path is the text after the first '/'.
            int slash = line.IndexOf('/');
            if (slash >= 0 && line.AsSpan(slash).EndsWith("/" + SoName, StringComparison.Ordinal))
                return line[slash..];
            if (slash >= 0 && Path.GetFileName(line[slash..]).StartsWith("libstdc++.so.6.", StringComparison.Ordinal))
                return line[slash..];
        }
        foreach (var path in FallbackPaths)
            if (File.Exists(path)) return path;
        throw new FileNotFoundException(
            $"SystemLibStdCxx: {SoName} is not mapped into this process and is not in any of: {string.Join(", ", FallbackPaths)}.");
    }

    public static HashSet<string> DefinedVersions(string path) => ElfSymbolVersions.Defined(ElfImage.Load(path));
}
