using Scratch.Models.Data;

namespace Scratch.Benchmarks.Torch;

/// <summary>The bundled MNIST sample (data/mnist-sample: 7,996 train, 2,004 test), loaded once per process; other data by the CLI's --data names.</summary>
public static class Sample
{
    private static readonly Lazy<ImageDataset> Data = new(() => DataSource.Load(DataSource.SampleDirectory()));

    public static ImageDataset Mnist => Data.Value;

    /// <summary>What `scratch train --data <paramref name="name"/>` trains on ("colour-mnist", a folder, …); null or "mnist": the bundled sample.</summary>
    public static ImageDataset Load(string? name) =>
        name is null || name.Equals("mnist", StringComparison.OrdinalIgnoreCase) ? Mnist : DataSource.Load(name);
}
