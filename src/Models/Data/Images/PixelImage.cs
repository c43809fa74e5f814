namespace Scratch.Models.Data;

/// <summary>One image as bytes: (C, H, W), C = 1 (grey) or 3 (RGB), 0 = black, 255 = full intensity.</summary>
/// <param name="Shape">Its channels, height and width.</param>
/// <param name="Pixels">Shape.Pixels bytes, channel planes one after another.</param>
internal readonly record struct PixelImage(ImageShape Shape, byte[] Pixels);
