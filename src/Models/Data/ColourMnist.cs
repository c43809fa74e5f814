namespace Scratch.Models.Data;

/// <summary>
/// Colour MNIST as the AVAE paper builds its ColorMnist (Cemgil, Ghaisas, Dvijotham, Gowal, Kohli,
/// "The Autoencoding Variational Autoencoder", NeurIPS 2020, arXiv 2012.03715): each grey digit
/// becomes a 3×H×W image in one of seven colours, drawn uniformly per image, by switching each RGB
/// channel fully on or off. The digit's grey intensity is copied into the channels that are on; the
/// others, and the black background, stay 0.
/// </summary>
/// <remarks>
/// The rule, from the authors' code (github.com/google-deepmind/deepmind-research, avae/data_iterators.py,
/// ColorMnistDataIterator.__next__, lines 76–92):
/// <code>
///   color_id = np.random.randint(7, size=self._batch_size) + 1          # one id in 1..7 per image
///   red_channel_bool = np.mod(color_id, 2)                              # bit 0
///   blue_channel_bool = np.floor_divide(color_id, 4)                    # bit 2
///   green_channel_bool = np.mod(np.floor_divide(color_id, 2), 2)        # bit 1
///   color_mnist_image = jnp.stack([red_channel_bool * mnist_image,
///                                  blue_channel_bool * mnist_image,
///                                  green_channel_bool * mnist_image], axis=3)   # (B, 28, 28, 3)
/// </code>
/// where mnist_image is the tfds MNIST image as float32 / 255 (lines 47–49). So: a colour id k,
/// uniform in 1..7 (black, 0, is excluded), and channel c of the output is the grey image times
/// one bit of k. The stack puts the bits in the order (bit 0, bit 2, bit 1), so the channel the
/// code names "blue" lands in position 1 (green, read as RGB) and "green" in position 2; the
/// comment's list "red, green, yellow, blue, …" (lines 76–79) therefore names ids 2–5 with green and
/// blue swapped. Scratch copies the stack as written (channel 0 ← bit 0, channel 1 ← bit 2,
/// channel 2 ← bit 1): id k gives the image the authors' code gives for k. Either reading gives
/// the same seven colours, each with probability 1/7.
///
/// Values: the grey byte g becomes g (channel on) or 0 (off); the authors' float is g/255 or 0,
/// exactly what <see cref="ImageSet.CopyImage"/> makes of those bytes, so no rounding is involved.
///
/// Where Scratch differs: the authors draw fresh colours for every batch they read (np.random,
/// never seeded; the iterator repeats), so a digit appears in new colours every epoch, and their
/// test images too. Here each image keeps one colour, drawn once from a seeded <see cref="Rng"/>
/// (train and test on separate streams), so the data stay bytes, runs are reproducible and the
/// test split is the same images every time.
/// </remarks>
public static class ColourMnist
{
    /// <summary>The name --data takes for the bundled sample coloured ("colour-mnist:PATH" colours the IDX folder PATH); also <see cref="Format"/>.</summary>
    public const string Name = "colour-mnist";

    /// <summary>The American spelling, accepted as the same name.</summary>
    public const string AmericanName = "color-mnist";

    /// <summary>The <see cref="ImageDataset.Format"/> of a coloured dataset.</summary>
    public const string Format = "colour-mnist";

    /// <summary>The seed <see cref="Load"/> colours with unless told otherwise: a fixed one, so "colour-mnist" names the same bytes on every machine.</summary>
    public const ulong DefaultSeed = 0;

    /// <summary>The number of colours: every on/off pattern of three channels except all off.</summary>
    public const int Colours = 7;

    // Bump when the colouring changes the bytes a seed gives: the fingerprint starts with it.
    private const string Version = "colour-mnist v1";

    private const ulong TrainStream = 0, TestStream = 1;

    /// <summary>
    /// Which channels colour id <paramref name="colour"/> (1..7) turns on, in output order (channel 0,
    /// 1, 2): bits 0, 2 and 1 of the id, as the authors' stack orders them (see the remarks above).
    /// 1 → (on, off, off) red; 7 → all on, white.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="colour"/> is outside 1..7.</exception>
    public static (bool C0, bool C1, bool C2) Channels(int colour)
    {
        if (colour is < 1 or > Colours)
            throw new ArgumentOutOfRangeException(nameof(colour), colour, $"ColourMnist: colour ids are 1..{Colours}");
        return ((colour & 1) != 0, (colour & 4) != 0, (colour & 2) != 0);
    }

    /// <summary>
    /// <paramref name="count"/> colour ids, each uniform in 1..7, drawn in image order from
    /// <paramref name="rng"/>: the stand-in for the authors' np.random.randint(7) + 1.
    /// </summary>
    public static byte[] DrawColours(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var colours = new byte[count];
        for (int i = 0; i < count; i++) colours[i] = (byte)(1 + rng.NextInt(Colours));
        return colours;
    }

    /// <summary>
    /// <paramref name="grey"/> (N, 1, H, W) in the given colours: (N, 3, H, W), channel c of image n
    /// the grey plane where <see cref="Channels"/>(colours[n]) turns c on, zeros elsewhere. Labels and
    /// class names are kept.
    /// </summary>
    /// <exception cref="ArgumentException">The images are not grey, or the colours are not one per image.</exception>
    public static ImageSet Colour(ImageSet grey, ReadOnlySpan<byte> colours)
    {
        ArgumentNullException.ThrowIfNull(grey);
        if (grey.Shape.Channels != 1)
            throw new ArgumentException($"ColourMnist: colours grey digits; these images are {grey.Shape}");
        if (colours.Length != grey.Count)
            throw new ArgumentException($"ColourMnist: {colours.Length} colours for {grey.Count} images");
        var shape = new ImageShape(3, grey.Rows, grey.Cols);
        int plane = grey.PixelsPerImage;
        var pixels = new byte[(long)grey.Count * shape.Pixels];   // zeros: the channels left off
        for (int n = 0; n < grey.Count; n++)
        {
            var (c0, c1, c2) = Channels(colours[n]);
            var image = grey.Image(n);
            var output = pixels.AsSpan(n * shape.Pixels, shape.Pixels);
            if (c0) image.CopyTo(output[..plane]);
            if (c1) image.CopyTo(output.Slice(plane, plane));
            if (c2) image.CopyTo(output[(2 * plane)..]);
        }
        return new ImageSet(shape, pixels, grey.IsLabelled ? grey.Labels : null, grey.IsLabelled ? grey.ClassNames : null);
    }

    /// <summary>The colour ids <see cref="Load"/> gives a split of <paramref name="count"/> images under <paramref name="seed"/>.</summary>
    /// <param name="count">The split's size.</param>
    /// <param name="seed">The colouring seed.</param>
    /// <param name="test">The test split (its own stream) rather than the training split.</param>
    public static byte[] SplitColours(int count, ulong seed, bool test) =>
        DrawColours(count, Rng.ForStream(seed, test ? TestStream : TrainStream));

    /// <summary>
    /// The MNIST-layout IDX folder <paramref name="folder"/>, both splits coloured under
    /// <paramref name="seed"/>, then brought to the options' --image-size and --channels (if any).
    /// </summary>
    /// <param name="folder">A folder of the four IDX files (the bundled sample, full MNIST, …).</param>
    /// <param name="options">Size and channels, applied after colouring; null: as coloured, 3×28×28 for MNIST.</param>
    /// <param name="seed">The colouring seed.</param>
    /// <param name="source">What the user named (for <see cref="ImageDataset.Source"/>); null: "colour-mnist:FOLDER".</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFormatException">It holds no MNIST-layout IDX files.</exception>
    public static ImageDataset Load(string folder, DataOptions? options = null, ulong seed = DefaultSeed, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new DataOptions();
        source ??= $"{Name}:{folder}";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{source}: {folder} does not exist ({Name}:PATH colours a folder of MNIST-layout IDX files)");
        if (!IdxFolder.LooksLikeIdxFolder(folder))
            throw new DataFormatException(folder, $"holds no MNIST-layout IDX files (train-images-idx3-ubyte[.gz], …) for {Name} to colour");
        var (grey, greyTest) = IdxFolder.Load(folder);
        var train = Colour(grey, SplitColours(grey.Count, seed, test: false));
        var test = Colour(greyTest, SplitColours(greyTest.Count, seed, test: true));
        if (options.ImageSize is not null || options.Channels is not null)
            (train, test) = (ImageFit.All(train, options), ImageFit.All(test, options));
        var fingerprint = new Fingerprint(Version).Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture)).AddOptions(options);
        foreach (var file in IdxFolder.Files(folder)) fingerprint.AddFile(Path.GetFullPath(file), new FileInfo(file));
        return new ImageDataset(source, Format, train, test, TestIsHoldout: false, fingerprint.Finish());
    }

    /// <summary>
    /// Whether <paramref name="path"/> names coloured MNIST: "colour-mnist" or "color-mnist" (the
    /// bundled sample; <paramref name="folder"/> is null) or either followed by ":PATH" (the IDX
    /// folder PATH, which may be empty when the user gave none). Case is ignored.
    /// </summary>
    public static bool IsName(string path, out string? folder)
    {
        ArgumentNullException.ThrowIfNull(path);
        folder = null;
        foreach (var name in new[] { Name, AmericanName })
        {
            if (path.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
            if (path.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                folder = path[(name.Length + 1)..];
                return true;
            }
        }
        return false;
    }
}
