using System.Buffers.Binary;
using System.Text;

namespace Scratch.TorchSharpSupport;

/// <summary>
/// A 64-bit little-endian ELF file held in memory, read through its section headers.
/// Only what symbol versioning needs: sections by type, strings, and bounds-checked integers.
/// Every read checks its range so a truncated or foreign file fails with the file's name,
/// never with an IndexOutOfRange from deep inside.
/// </summary>
internal sealed class ElfImage
{
    // Section types (System V gABI and the GNU extensions for symbol versioning).
    public const uint ShtRela = 4;
    public const uint ShtDynSym = 11;
    public const uint ShtGnuVerdef = 0x6ffffffd;
    public const uint ShtGnuVerneed = 0x6ffffffe;
    public const uint ShtGnuVersym = 0x6fffffff;

    public readonly record struct Section(int Index, uint Type, long Offset, long Size, uint Link, long EntrySize);

    public string Path { get; }
    public byte[] Bytes { get; }
    public IReadOnlyList<Section> Sections { get; }

    public ElfImage(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
        // e_ident: 0x7f 'E' 'L' 'F', class 2 = 64-bit, data 1 = little-endian.
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException($"ElfImage: '{path}' is not an ELF file ({bytes.Length} bytes).");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException(
                $"ElfImage: '{path}' has EI_CLASS={bytes[4]}, EI_DATA={bytes[5]}; only 64-bit little-endian (2, 1) is supported.");
        Sections = ReadSectionHeaders();
    }

    public static ElfImage Load(string path) => new(path, File.ReadAllBytes(path));

    public Section? FindSection(uint type)
    {
        foreach (var section in Sections)
            if (section.Type == type) return section;
        return null;
    }

    public IEnumerable<Section> SectionsOfType(uint type) => Sections.Where(s => s.Type == type);

    public ushort U16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(offset, 2));
    public uint U32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(offset, 4));
    public ulong U64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(offset, 8));
    public void WriteU16(long offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Slice(offset, 2), value);

    /// <summary>The NUL-terminated string at <paramref name="offset"/> inside string-table section <paramref name="table"/>.</summary>
    public string StringAt(Section table, uint offset)
    {
        if (offset >= table.Size)
            throw new InvalidDataException(
                $"ElfImage: '{Path}': string offset {offset} is outside string table section {table.Index} (size {table.Size}).");
        var span = Slice(table.Offset + offset, table.Size - offset);
        int end = span.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"ElfImage: '{Path}': unterminated string at offset {offset} of section {table.Index}.");
        return Encoding.ASCII.GetString(span[..end]);
    }

    public Section SectionAt(uint index)
    {
        if (index >= Sections.Count)
            throw new InvalidDataException($"ElfImage: '{Path}': section index {index} is out of range (file has {Sections.Count}).");
        return Sections[(int)index];
    }

    private Span<byte> Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Bytes.Length)
            throw new InvalidDataException(
                $"ElfImage: '{Path}': read of {length} bytes at offset {offset} runs past the end of the file ({Bytes.Length} bytes).");
        return Bytes.AsSpan((int)offset, (int)length);
    }

    private List<Section> ReadSectionHeaders()
    {
        // ELF64 header: e_shoff at 0x28, e_shentsize at 0x3A, e_shnum at 0x3C.
        long shoff = (long)U64(0x28);
        int shentsize = U16(0x3A);
        int shnum = U16(0x3C);
        if (shentsize != 64)
            throw new InvalidDataException($"ElfImage: '{Path}': e_shentsize is {shentsize}, expected 64 for ELF64.");
        var sections = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            // Elf64_Shdr: name(4) type(4) flags(8) addr(8) offset(8) size(8) link(4) info(4) addralign(8) entsize(8).
            long h = shoff + (long)i * shentsize;
            sections.Add(new Section(i, U32(h + 4), (long)U64(h + 24), (long)U64(h + 32), U32(h + 40), (long)U64(h + 56)));
        }
        return sections;
    }
}
