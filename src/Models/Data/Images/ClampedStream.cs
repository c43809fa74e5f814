namespace Scratch.Models.Data;

/// <summary>
/// A read-only view of a seekable stream whose position never passes its end. StbImageSharp skips
/// a segment by seeking over it and tests for the end with Position == Length; a file cut inside
/// a segment moves it past the end, where that test never holds and its marker search spins for
/// ever (seen: a JPEG cut after its first 6 bytes). Clamped, the search meets the end and fails.
/// </summary>
internal sealed class ClampedStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = Math.Clamp(value, 0, inner.Length);
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin)
    {
        long from = origin switch
        {
            SeekOrigin.Begin => 0,
            SeekOrigin.Current => inner.Position,
            _ => inner.Length,
        };
        Position = from + offset;
        return Position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
