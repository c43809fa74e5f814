namespace Scratch.Models.Data;

/// <summary>
/// Carves a validation split out of the training images, so that decisions taken during training
/// (early stopping) never look at the test images that are scored afterwards. The held-out images
/// are chosen by the seed alone (a Fisher–Yates shuffle of the indices by the engine's RNG), so a
/// resumed run carves the same ones; both parts keep the file order.
/// </summary>
public static class ValidationSplit
{
    /// <summary>
    /// (train, validation): ⌈fraction·N⌉ images of <paramref name="split"/> for validation (at least 1,
    /// and at least 1 left to train on), the rest for training.
    /// </summary>
    public static (ImageSet Train, ImageSet Validation) Carve(ImageSet split, double fraction, ulong seed)
    {
        int held = HeldOut(split.Count, fraction);
        var order = Enumerable.Range(0, split.Count).ToArray();
        var rng = new Rng(seed ^ 0x7A11_DA7EUL);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var validation = order[..held];
        Array.Sort(validation);
        var isValidation = new bool[split.Count];
        foreach (int i in validation) isValidation[i] = true;
        var train = Enumerable.Range(0, split.Count).Where(i => !isValidation[i]).ToArray();
        return (split.Subset(train), split.Subset(validation));
    }

    /// <summary>How many of <paramref name="count"/> training images <see cref="Carve"/> holds out: ⌈fraction·count⌉, at least 1, leaving at least 1.</summary>
    public static int HeldOut(int count, double fraction)
    {
        if (!(fraction is > 0 and < 1)) throw new ArgumentException($"validation split: fraction {fraction} must be in (0, 1)");
        if (count < 2) throw new ArgumentException($"validation split: {count} training image(s) cannot be split into training and validation");
        return Math.Clamp((int)Math.Ceiling(fraction * count), 1, count - 1);
    }
}
