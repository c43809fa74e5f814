using System.ComponentModel;
using System.Diagnostics;

namespace Scratch.TorchSharpSupport;

/// <summary>
/// Supplies, from a tiny shared library built with g++, symbols that a newer libstdc++ defines and the
/// system's does not. Loaded with RTLD_GLOBAL before TorchSharp, so no LD_PRELOAD and no restart.
/// Only needed when a relocation really refers to such a symbol: an undefined symbol that no
/// relocation names is never looked up by the dynamic linker.
/// </summary>
internal static class SymbolShim
{
    public const string LibraryName = "libscratch_symbol_shim.so";

    // Mangled name → C++ definition. GCC 13's <iostream> references std::ios_base_library_init()
    // (GLIBCXX_3.4.32) to pin the libstdc++ that constructs cout/cin; older libstdc++ does that work
    // through ios_base::Init objects, so constructing one here gives the same guarantee.
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["_ZSt21ios_base_library_initv"] =
            "namespace std { void ios_base_library_init() { static std::ios_base::Init streams; } }",
    };

    /// <summary>Known symbols that <paramref name="library"/> resolves through a relocation and
    /// that the system libstdc++ at <paramref name="libStdCxxPath"/> does not define.</summary>
    public static List<string> Needed(string library, string libStdCxxPath)
    {
        var elf = ElfImage.Load(library);
        var relocated = ElfSymbolVersions.RelocatedSymbols(elf);
        var definedBySystem = ElfSymbolVersions.DynamicSymbols(ElfImage.Load(libStdCxxPath))
            .Where(s => !s.IsUndefined).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return ElfSymbolVersions.DynamicSymbols(elf)
            .Where(s => s.IsUndefined && relocated.Contains(s.Index) && Known.ContainsKey(s.Name) && !definedBySystem.Contains(s.Name))
            .Select(s => s.Name)
            .Distinct()
            .ToList();
    }

    /// <summary>Builds the shim for <paramref name="symbols"/> into <paramref name="directory"/> (once)
    /// and opens it into the global symbol scope. Returns the shim's path.</summary>
    public static string BuildAndLoad(string directory, IReadOnlyCollection<string> symbols)
    {
        var unknown = symbols.Where(s => !Known.ContainsKey(s)).ToList();
        if (unknown.Count > 0)
            throw new NotSupportedException($"SymbolShim: no known definition for {string.Join(", ", unknown)}.");

        string source = "#include <ios>\n" + string.Join("\n", symbols.Order(StringComparer.Ordinal).Select(s => Known[s])) + "\n";
        string sourcePath = Path.Combine(directory, "scratch_symbol_shim.cpp");
        string libraryPath = Path.Combine(directory, LibraryName);
        bool upToDate = File.Exists(libraryPath) && File.Exists(sourcePath) && File.ReadAllText(sourcePath) == source;
        if (!upToDate)
        {
            File.WriteAllText(sourcePath, source);
            Compile(sourcePath, libraryPath);
        }
        Libc.OpenGlobal(libraryPath);
        return libraryPath;
    }

    private static void Compile(string sourcePath, string libraryPath)
    {
        // Build to a private name and rename, so a concurrent process never opens half a file.
        string temporary = $"{libraryPath}.building-{Environment.ProcessId}";
        var start = new ProcessStartInfo("g++", ["-shared", "-fPIC", "-O2", "-o", temporary, sourcePath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("SymbolShim: Process.Start(g++) returned null.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "SymbolShim: TorchSharp's native library needs a symbol this system's libstdc++ lacks, and building the " +
                "one-line replacement needs a C++ compiler, but 'g++' was not found. Install it " +
                "(Debian/Ubuntu: sudo apt-get install g++) or use a system with GCC 13 or newer.", e);
        }
        using (process)
        {
            string errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"SymbolShim: g++ failed (exit {process.ExitCode}) on '{sourcePath}':\n{errors}");
        }
        File.Move(temporary, libraryPath, overwrite: true);
    }
}
