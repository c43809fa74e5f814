using StbImageSharp;

namespace Scratch.Models.Data;

/// <summary>What an image file's header says, read without decoding a pixel.</summary>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
/// <param name="HasColour">
/// Whether the file stores colour: RGB, RGBA or palette PNG, three-component JPEG. A grey or
/// grey+alpha PNG and a one-component JPEG do not. The file's colour type, as PIL's mode (L or
/// RGB) would say it, not a look at the pixels.
/// </param>
internal readonly record struct ImageHeader(int Height, int Width, bool HasColour);

/// <summary>
/// Decodes one PNG or JPEG file into (C, H, W) bytes, C = 1 or 3, with StbImageSharp (a managed
/// port of stb_image). Every way a file can be unusable ends in a <see cref="DataFormatException"/>
/// naming it, never in the library's own exception.
/// </summary>
/// <remarks>
/// <para>The header is read first and a file that declares more than the pixel limit is refused
/// before anything is allocated for its pixels: a 100-byte PNG can claim 60000×60000.</para>
/// <para>Alpha is dropped (RGBA → RGB, grey+alpha → grey), not composited: what a transparent pixel
/// stores shows, as PIL's <c>convert("RGB")</c> gives. Palette PNGs come out as RGB.</para>
/// <para>16-bit PNGs: StbImageSharp's 8-bit loader keeps each sample's high byte (v >> 8, a
/// truncation: 0x80FF → 0x80), which is what we keep.</para>
/// <para>EXIF orientation is not applied (nor is it by PIL's open or torchvision's read_image by default).</para>
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>The extensions an image folder reads, compared without regard to case.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegStart => [0xFF, 0xD8, 0xFF];

    /// <summary>Whether <paramref name="path"/> ends in .png, .jpg or .jpeg (any case).</summary>
    public static bool HasImageExtension(string path) =>
        Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>The size and colour type of the image at <paramref name="path"/>, from its first bytes.</summary>
    /// <exception cref="DataFormatException">The file is empty, not a PNG or JPEG, its header is damaged, or it declares more than <paramref name="pixelLimit"/> pixels.</exception>
    public static ImageHeader ReadHeader(string path, long pixelLimit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        return ReadHeader(path, new ClampedStream(file), pixelLimit);
    }

    /// <summary>The image at <paramref name="path"/> as (C, H, W) bytes: C = 3 when <see cref="ImageHeader.HasColour"/>, else 1.</summary>
    /// <exception cref="DataFormatException">As <see cref="ReadHeader(string, long)"/>, or the image data is damaged or cut short.</exception>
    public static PixelImage Decode(string path, long pixelLimit)
    {
        var bytes = ReadAll(path);
        using var stream = new ClampedStream(new MemoryStream(bytes, writable: false));
        var header = ReadHeader(path, stream, pixelLimit);
        if (bytes[0] == 0xFF && !JpegIsComplete(bytes))
            throw new DataFormatException(path, "is a truncated JPEG: no end-of-image marker after its last scan");

        stream.Position = 0;
        ImageResult result;
        try
        {
            result = ImageResult.FromStream(stream, ColorComponents.Default);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // stb reports a bad file as InvalidOperationException(reason), and a ported C decoder
            // can fail in other ways on crafted data; all of them mean "this file is not usable".
            // The reason is a static field in stb, so when images decode in parallel it can
            // occasionally be another file's; the path is always this file's.
            throw new DataFormatException(path, $"cannot be decoded ({Describe(e)})", e);
        }
        if (result?.Data == null || result.Width != header.Width || result.Height != header.Height)
            throw new DataFormatException(path, "cannot be decoded (the decoder returned no image of the size the header declares)");
        return ToPlanes(path, result);
    }

    private static byte[] ReadAll(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new DataFormatException(path, "file not found");
        if (info.Length == 0) throw new DataFormatException(path, "is empty (0 bytes)");
        if (info.Length > Array.MaxLength) throw new DataFormatException(path, $"is {info.Length} bytes, too large to be read");
        return File.ReadAllBytes(path);
    }

    private static ImageHeader ReadHeader(string path, Stream stream, long pixelLimit)
    {
        Span<byte> start = stackalloc byte[8];
        int got = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        if (got == 0)
            throw new DataFormatException(path, "is empty (0 bytes)");
        // Checked here rather than left to stb, which also reads BMP, GIF, TGA, PSD and HDR, and
        // whose TGA probe (TGA has no magic number) can take a text file for an image.
        bool png = got >= 8 && start.SequenceEqual(PngSignature);
        bool jpeg = got >= 3 && start[..3].SequenceEqual(JpegStart);
        if (!png && !jpeg)
            throw new DataFormatException(path, $"is not a PNG or JPEG image (it starts with the bytes {Convert.ToHexString(start[..got])})");

        if ((png ? DeclaredSize.Png(stream) : DeclaredSize.Jpeg(stream)) is var (declaredWidth, declaredHeight))
            CheckSize(path, declaredWidth, declaredHeight, pixelLimit);

        stream.Position = 0;
        ImageInfo? info;
        try
        {
            info = ImageInfo.FromStream(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFormatException(path, $"has a damaged {(png ? "PNG" : "JPEG")} header ({Describe(e)})", e);
        }
        if (info is not { } i)
            throw new DataFormatException(path, $"has a damaged or cut-short {(png ? "PNG" : "JPEG")} header (StbImageSharp: {StbImage.stbi__g_failure_reason})");
        CheckSize(path, i.Width, i.Height, pixelLimit);
        bool colour = i.ColorComponents is ColorComponents.RedGreenBlue or ColorComponents.RedGreenBlueAlpha;
        return new ImageHeader(i.Height, i.Width, colour);
    }

    private static void CheckSize(string path, long width, long height, long pixelLimit)
    {
        if (width <= 0 || height <= 0)
            throw new DataFormatException(path, $"declares an image of {width}×{height} pixels: an image needs at least one");
        long pixels = width * height; // each < 2^32: no overflow
        if (pixels > pixelLimit)
        {
            throw new DataFormatException(path,
                $"declares {width}×{height} = {pixels:N0} pixels, more than the pixel limit of {pixelLimit:N0} (DataOptions.PixelLimit); refused before decoding");
        }
    }

    // stb decodes a JPEG cut short as if the missing data were zeros, and returns a picture whose
    // lower part is grey. PIL refuses such a file ("image file is truncated"); so do we. A JPEG
    // ends with EOI (FF D9) after its last scan (SOS, FF DA). Neither pair can occur inside the
    // entropy-coded data, where an FF byte is always followed by 00 or a restart marker; an EXIF
    // thumbnail's own SOS and EOI come earlier, in an APP segment before the main image's scans.
    private static bool JpegIsComplete(byte[] bytes)
    {
        var data = bytes.AsSpan();
        int lastScan = data.LastIndexOf([(byte)0xFF, (byte)0xDA]);
        return lastScan >= 0 && data[lastScan..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
    }

    // stb's interleaved (H, W, comp) → our planar (C, H, W), dropping alpha (comp 2 and 4).
    private static PixelImage ToPlanes(string path, ImageResult result)
    {
        int comp = (int)result.Comp;
        int channels = comp switch
        {
            1 or 2 => 1,
            3 or 4 => 3,
            _ => throw new DataFormatException(path, $"decoded to {comp} components per pixel; expected 1 to 4"),
        };
        int plane = result.Width * result.Height;
        var planes = new byte[channels * plane];
        var data = result.Data;
        for (int c = 0; c < channels; c++)
        {
            var target = planes.AsSpan(c * plane, plane);
            for (int i = 0; i < plane; i++)
                target[i] = data[i * comp + c];
        }
        return new PixelImage(new ImageShape(channels, result.Height, result.Width), planes);
    }

    private static string Describe(Exception e) =>
        e is InvalidOperationException && !string.IsNullOrEmpty(e.Message) ? $"StbImageSharp: {e.Message}" : $"{e.GetType().Name}: {e.Message}";
}
