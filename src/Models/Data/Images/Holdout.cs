namespace Scratch.Models.Data;

/// <summary>
/// The test split of data that has none (an image folder without test/, a .npy file): a seeded
/// share of the images, stratified by class when there are classes, so every class is tested in
/// proportion and none vanishes from training.
/// </summary>
internal static class Holdout
{
    /// <summary>
    /// (train, test) indices into 0..labels.Length − 1, each part in file order. Each class c of
    /// n_c images gives round(fraction·n_c) of them, chosen by a seeded shuffle of that class alone
    /// and never all of them (a class of one image stays in training). An unlabelled set is one class.
    /// If that leaves the test split empty, one image of the largest class is held out.
    /// </summary>
    /// <param name="labels">(N) class of each image; all 0 when unlabelled.</param>
    /// <param name="fraction">The share to hold out, in (0, 1).</param>
    /// <param name="seed">The shuffle's seed: the same seed, the same split.</param>
    /// <param name="source">The folder or file, for messages.</param>
    /// <exception cref="DataFormatException">Too few images to leave at least one in each split.</exception>
    public static (int[] Train, int[] Test) Split(int[] labels, double fraction, ulong seed, string source)
    {
        CheckFraction(fraction);
        int classes = labels.Length == 0 ? 0 : labels.Max() + 1;
        var members = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Length; i++) members[labels[i]].Add(i);

        var held = members.Select(m => Math.Min((int)Math.Round(fraction * m.Count, MidpointRounding.AwayFromZero), Math.Max(m.Count - 1, 0))).ToArray();
        if (held.Sum() == 0 && classes > 0)
        {
            int largest = 0;
            for (int c = 1; c < classes; c++)
                if (members[c].Count > members[largest].Count) largest = c;
            if (members[largest].Count >= 2) held[largest] = 1;
        }
        if (held.Sum() == 0)
        {
            throw new DataFormatException(source,
                $"{labels.Length} image(s) are too few to hold out a test split and keep one image of each class for training; add images or a test/ folder");
        }

        var isTest = new bool[labels.Length];
        for (int c = 0; c < classes; c++)
        {
            // One stream per class: adding images to one class does not reshuffle the others.
            var order = BatchIterator.Permutation(members[c].Count, Rng.ForStream(seed, (ulong)c));
            for (int k = 0; k < held[c]; k++) isTest[members[c][order[k]]] = true;
        }
        var all = Enumerable.Range(0, labels.Length);
        return (all.Where(i => !isTest[i]).ToArray(), all.Where(i => isTest[i]).ToArray());
    }

    /// <summary>Throws unless <paramref name="fraction"/> is in (0, 1).</summary>
    public static void CheckFraction(double fraction)
    {
        if (!(fraction is > 0 and < 1))
            throw new ArgumentException($"DataOptions.TestFraction is {fraction}; the share of images held out as the test split must be in (0, 1)");
    }
}
