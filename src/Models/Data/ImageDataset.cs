namespace Scratch.Models.Data;

/// <summary>
/// A dataset as the commands use it: a training split, a test split, and where they came from.
/// Built by <see cref="DataSource.Load"/> from an IDX folder, an image folder or a .npy file, or by
/// <see cref="ColourMnist.Load"/> from an IDX folder coloured.
/// </summary>
/// <param name="Source">The path the user gave (a folder or a file), or the name ("colour-mnist", "colour-mnist:PATH").</param>
/// <param name="Format">What was found there: "idx", "image folder", "npy" or "colour-mnist".</param>
/// <param name="Train">The images to train on.</param>
/// <param name="Test">The images to evaluate on: the data's own test split, or a seeded holdout.</param>
/// <param name="TestIsHoldout">True when the data had no test split and <see cref="Test"/> was held out of it (see <see cref="DataOptions.TestFraction"/>).</param>
/// <param name="Fingerprint">A short hex digest of the files' names, sizes and times and the loading options: equal fingerprints, same images.</param>
public sealed record ImageDataset(string Source, string Format, ImageSet Train, ImageSet Test, bool TestIsHoldout, string Fingerprint)
{
    /// <summary>The shape of every image in both splits.</summary>
    public ImageShape Shape => Train.Shape;

    /// <summary>Whether the images carry class labels (IDX and class folders do; a flat folder and a bare .npy do not).</summary>
    public bool IsLabelled => Train.IsLabelled;

    /// <summary>The classes' names by label; empty when unlabelled.</summary>
    public IReadOnlyList<string> ClassNames => Train.ClassNames;
}
