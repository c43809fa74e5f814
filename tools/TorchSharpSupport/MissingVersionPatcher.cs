using System.Runtime.Versioning;

namespace Scratch.TorchSharpSupport;

/// <summary>
/// Makes a shared library loadable when it asks for symbol versions the system does not define,
/// the way `patchelf --clear-symbol-version` plus a weak-version flag would, in managed code:
///   1. in .gnu.version_r, set VER_FLG_WEAK on each missing version, so the dynamic linker stops
///      refusing the whole library ("version `GLIBCXX_3.4.32' not found");
///   2. in .gnu.version, give every symbol bound to a missing version the index 1 (global), so a
///      lookup, if one ever happens, accepts any definition instead of demanding that version.
/// Patching the same file twice changes nothing the second time.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class MissingVersionPatcher
{
    /// <param name="Changed">the file on disk was rewritten by this call.</param>
    /// <param name="ClearedSymbols">dynamic symbols whose version this call cleared (empty on a second run).</param>
    public readonly record struct Outcome(bool Changed, IReadOnlyList<string> ClearedSymbols);

    /// <summary>Versions <paramref name="library"/> needs from <paramref name="providerSoName"/> that
    /// <paramref name="available"/> lacks (weak or not: already-patched files still list them).</summary>
    public static List<string> MissingVersions(string library, string providerSoName, IReadOnlySet<string> available) =>
        ElfSymbolVersions.Needed(ElfImage.Load(library))
            .Where(v => v.File == providerSoName && !available.Contains(v.Name))
            .Select(v => v.Name)
            .Distinct()
            .ToList();

    public static Outcome Patch(string library, IReadOnlyCollection<string> missingVersions)
    {
        var elf = ElfImage.Load(library);
        bool changed = false;
        var missingIndices = new HashSet<ushort>();
        foreach (var version in ElfSymbolVersions.Needed(elf).Where(v => missingVersions.Contains(v.Name)))
        {
            missingIndices.Add(version.Index);
            if (!version.IsWeak)
            {
                elf.WriteU16(version.FlagsOffset, (ushort)(version.Flags | ElfSymbolVersions.VerFlgWeak));
                changed = true;
            }
        }

        var cleared = new List<string>();
        foreach (var symbol in ElfSymbolVersions.DynamicSymbols(elf))
        {
            // Bit 15 of a .gnu.version entry marks a hidden symbol; the index is the low 15 bits.
            if (!symbol.IsUndefined || !missingIndices.Contains((ushort)(symbol.VersionIndex & 0x7fff))) continue;
            elf.WriteU16(symbol.VersionOffset, ElfSymbolVersions.VerNdxGlobal);
            changed = true;
            cleared.Add(symbol.Name);
        }

        if (changed) ReplaceAtomically(library, elf.Bytes);
        return new Outcome(changed, cleared);
    }

    // Write beside the original and rename over it: a process that has the old file mapped keeps its
    // pages, a hard link into the NuGet cache (if MSBuild made one) keeps the original bytes,
    // and two processes patching at once each install a complete file.
    private static void ReplaceAtomically(string path, byte[] bytes)
    {
        string temporary = $"{path}.patching-{Environment.ProcessId}";
        File.WriteAllBytes(temporary, bytes);
        File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
        File.Move(temporary, path, overwrite: true);
    }
}
