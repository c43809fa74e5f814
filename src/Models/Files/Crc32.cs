namespace Scratch.Models.Files;

/// <summary>
/// CRC-32 as PNG (and zip, gzip, Ethernet) uses it: reflected polynomial 0xEDB88320, initial
/// value and final XOR 0xFFFFFFFF. Table-driven, one byte per step, as in the PNG
/// specification's sample code (Annex D).
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    /// <summary>
    /// The running value before any byte: a CRC over several buffers is Finish(Update(Update(Start, a), b)).
    /// </summary>
    // PNG chunks are CRC'd over type then data, which live in different buffers: hence the
    // start/update/finish form.
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>The running value after <paramref name="data"/> is appended to what <paramref name="crc"/> covers.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>The CRC from a running value (the final XOR).</summary>
    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
