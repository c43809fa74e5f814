using System.Diagnostics;
using Scratch.Experiments.Imaging;
using Scratch.Kernels;
using Scratch.Models.Data;

namespace Scratch.Benchmarks;

/// <summary>
/// `data-quick [--count 20000] [--threads N]`: how fast images come in. Writes a folder of 40×40
/// RGB PNGs (two classes, known pixels), then times (1) decoding it on the worker pool,
/// images/s, (2) a second load of the same folder from the decoded cache. Each load is checked
/// against the pixels that were written before its time is printed.
/// </summary>
public static class DataQuick
{
    public static void Run(string[] args)
    {
        int count = Arg(args, "--count", 20_000);
        if (Arg(args, "--threads", 0) is > 0 and var threads) CpuThreads.Count = threads;
        string root = Path.Combine(Path.GetTempPath(), $"scratch-data-quick-{Environment.ProcessId}");
        try
        {
            var written = WriteFolder(root, count);
            string cache = Path.Combine(root, "cache");
            var options = new DataOptions { CacheFolder = cache, TestFraction = 0.2 };
            Console.WriteLine($"{count:N0} PNGs of 40×40 (RGB), {CpuThreads.Count} thread(s), {Vectors()}");

            var clock = Stopwatch.StartNew();
            var first = ImageFolder.Load(Path.Combine(root, "images"), options);
            double decode = clock.Elapsed.TotalSeconds;
            Check(first, written);
            Console.WriteLine($"decode:      {decode,7:F2} s  {count / decode,10:N0} images/s");

            clock.Restart();
            var second = ImageFolder.Load(Path.Combine(root, "images"), options);
            double cached = clock.Elapsed.TotalSeconds;
            Check(second, written);
            Console.WriteLine($"from cache:  {cached,7:F2} s  {count / cached,10:N0} images/s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Image i: class i % 2, RGB, every pixel (r, g, b) = (i, x + y, 3·x) mod 256, so each is known.
    private static int WriteFolder(string root, int count)
    {
        for (int c = 0; c < 2; c++) Directory.CreateDirectory(Path.Combine(root, "images", $"class{c}"));
        CpuParallel.For(count, i =>
        {
            var pixels = new byte[40 * 40 * 3];
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                {
                    int at = (y * 40 + x) * 3;
                    (pixels[at], pixels[at + 1], pixels[at + 2]) = ((byte)i, (byte)(x + y), (byte)(3 * x));
                }
            File.WriteAllBytes(Path.Combine(root, "images", $"class{i % 2}", $"{i:D6}.png"), PngEncoder.Encode(new Image8(40, 40, 3, pixels)));
        });
        return count;
    }

    // Every image of both splits is one that was written: red is constant in each, green and blue follow x and y.
    private static void Check(ImageDataset data, int written)
    {
        if (data.Train.Count + data.Test.Count != written || data.Shape != new ImageShape(3, 40, 40))
            throw new InvalidOperationException($"data-quick: loaded {data.Train.Count} + {data.Test.Count} images of {data.Shape}, wrote {written} of 40×40 RGB");
        foreach (var set in new[] { data.Train, data.Test })
            for (int n = 0; n < set.Count; n += 37)
            {
                var image = set.Image(n);   // (3, 40, 40)
                for (int y = 0; y < 40; y += 7)
                    for (int x = 0; x < 40; x += 5)
                        if (image[1600 + y * 40 + x] != (byte)(x + y) || image[3200 + y * 40 + x] != (byte)(3 * x) || image[y * 40 + x] != image[0])
                            throw new InvalidOperationException($"data-quick: image {n} pixel ({y}, {x}) is not what was written");
            }
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out int v) ? v : fallback;
    }

    private static string Vectors() => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "128-bit";
}
