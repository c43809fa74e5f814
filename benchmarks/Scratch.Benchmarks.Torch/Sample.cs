using Scratch.Models.Data;

namespace Scratch.Benchmarks.Torch;

/// <summary>The bundled MNIST sample (data/mnist-sample: 7,996 train, 2,004 test), loaded once per process.</summary>
public static class Sample
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    public static ImageDataset Mnist => Data.Value;
}
