namespace Scratch.TorchSharpSupport;

/// <summary>
/// GNU symbol versioning inside one ELF image: the versions a library needs from others
/// (.gnu.version_r), the versions a library defines (.gnu.version_d), the version of each
/// dynamic symbol (.gnu.version), and which symbols relocations point at.
/// Layouts are the Elf64_Verneed/Vernaux/Verdef/Verdaux/Sym/Rela structs of the GNU ABI.
/// </summary>
internal static class ElfSymbolVersions
{
    // vna_flags bit: the dynamic linker only warns (in verbose mode) when a weak version is missing.
    public const ushort VerFlgWeak = 0x2;
    // .gnu.version value meaning "no version": the symbol binds to any definition.
    public const ushort VerNdxGlobal = 1;

    /// <summary>One version a library needs: which file must define it, its name, its flags,
    /// its index in .gnu.version (vna_other), and where its vna_flags field sits in the file.</summary>
    public readonly record struct NeededVersion(string File, string Name, ushort Flags, ushort Index, long FlagsOffset)
    {
        public bool IsWeak => (Flags & VerFlgWeak) != 0;
    }

    public readonly record struct DynamicSymbol(int Index, string Name, bool IsUndefined, ushort VersionIndex, long VersionOffset);

    public static List<NeededVersion> Needed(ElfImage elf)
    {
        var result = new List<NeededVersion>();
        if (elf.FindSection(ElfImage.ShtGnuVerneed) is not { } verneed) return result;
        var strings = elf.SectionAt(verneed.Link);
        long entry = verneed.Offset;
        // Elf64_Verneed: version(2) cnt(2) file(4) aux(4) next(4). Entries chain through vn_next.
        for (int guard = 0; guard < 10_000; guard++)
        {
            ushort count = elf.U16(entry + 2);
            string file = elf.StringAt(strings, elf.U32(entry + 4));
            long aux = entry + elf.U32(entry + 8);
            for (int i = 0; i < count; i++)
            {
                // Elf64_Vernaux: hash(4) flags(2) other(2) name(4) next(4).
                result.Add(new NeededVersion(file, elf.StringAt(strings, elf.U32(aux + 8)), elf.U16(aux + 4), elf.U16(aux + 6), aux + 4));
                aux += elf.U32(aux + 12);
            }
            uint next = elf.U32(entry + 12);
            if (next == 0) return result;
            entry += next;
        }
        throw new InvalidDataException($"ElfSymbolVersions: '{elf.Path}': the .gnu.version_r chain does not end.");
    }

    public static HashSet<string> Defined(ElfImage elf)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (elf.FindSection(ElfImage.ShtGnuVerdef) is not { } verdef) return result;
        var strings = elf.SectionAt(verdef.Link);
        long entry = verdef.Offset;
        // Elf64_Verdef: version(2) flags(2) ndx(2) cnt(2) hash(4) aux(4) next(4); the first Verdaux names it.
        for (int guard = 0; guard < 10_000; guard++)
        {
            long aux = entry + elf.U32(entry + 12);
            result.Add(elf.StringAt(strings, elf.U32(aux)));
            uint next = elf.U32(entry + 16);
            if (next == 0) return result;
            entry += next;
        }
        throw new InvalidDataException($"ElfSymbolVersions: '{elf.Path}': the .gnu.version_d chain does not end.");
    }

    public static List<DynamicSymbol> DynamicSymbols(ElfImage elf)
    {
        var result = new List<DynamicSymbol>();
        if (elf.FindSection(ElfImage.ShtDynSym) is not { } dynsym) return result;
        var strings = elf.SectionAt(dynsym.Link);
        var versym = elf.FindSection(ElfImage.ShtGnuVersym);
        long count = dynsym.Size / 24;
        for (int i = 0; i < count; i++)
        {
            // Elf64_Sym: name(4) info(1) other(1) shndx(2) value(8) size(8); shndx 0 = undefined here.
            long sym = dynsym.Offset + i * 24L;
            long versionOffset = versym is { } v ? v.Offset + i * 2L : -1;
            ushort version = versionOffset >= 0 ? elf.U16(versionOffset) : VerNdxGlobal;
            result.Add(new DynamicSymbol(i, elf.StringAt(strings, elf.U32(sym)), elf.U16(sym + 6) == 0, version, versionOffset));
        }
        return result;
    }

    /// <summary>Indices of dynamic symbols that some relocation refers to: the only symbols
    /// the dynamic linker ever looks up. A symbol no relocation names is never resolved.</summary>
    public static HashSet<int> RelocatedSymbols(ElfImage elf)
    {
        var result = new HashSet<int>();
        foreach (var rela in elf.SectionsOfType(ElfImage.ShtRela))
        {
            // Only relocations whose symbols come from .dynsym matter at load time.
            if (elf.SectionAt(rela.Link).Type != ElfImage.ShtDynSym) continue;
            // Elf64_Rela: offset(8) info(8) addend(8); symbol index = info >> 32.
            for (long e = rela.Offset; e + 24 <= rela.Offset + rela.Size; e += 24)
                result.Add((int)(elf.U64(e + 8) >> 32));
        }
        return result;
    }
}
