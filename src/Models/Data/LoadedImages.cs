namespace Scratch.Models.Data;

/// <summary>
/// Every image of one source, in a stable order, for scoring, encoding or reconstructing (no split).
/// </summary>
/// <param name="Path">The file or folder they were read from.</param>
/// <param name="Images">The images; labelled when the source has classes (class folders, an IDX folder).</param>
/// <param name="Names">Each image's file, relative to <paramref name="Path"/>, when the images are files; null for an array file (IDX, .npy), whose rows are their index.</param>
public sealed record LoadedImages(string Path, ImageSet Images, IReadOnlyList<string>? Names);
