using TorchSharp;
using TorchSharp.PyBridge;

namespace Scratch.WeightsBridge;

/// <summary>
/// The TorchSharp half of direction Scratch → TorchSharp: TorchSharp.PyBridge reads the file
/// written by Scratch into <see cref="TorchVae"/>, TorchSharp reconstructs the digits, and the
/// result must equal Scratch's (stored beside by <see cref="ScratchSide"/>) to float32 rounding.
/// </summary>
internal static class TorchCheck
{
    /// <summary>
    /// Largest accepted |TorchSharp − Scratch| on a pixel in [0, 1]. Both compute the same float32
    /// formula but sum the dot products in different orders (libtorch's GEMM, Scratch's packed one):
    /// a few ulps of the logits, squashed by the sigmoid (measured: 2.1e-7 on 784-400-20). A wrong name, a transposed weight or a
    /// swapped μ/log σ² moves pixels by 1e-2 or more.
    /// </summary>
    public const double Tolerance = 1e-6;

    public static int Run(string safetensors, string jsonPath)
    {
        var file = BridgeFile.Read(jsonPath);
        var vae = new TorchVae(file.Input, file.Hidden, file.Latent);
        var own = vae.state_dict().Keys.ToHashSet(StringComparer.Ordinal);

        // Not strict: a training checkpoint also holds Adam's moments (optimizer.m.<i>, optimizer.v.<i>).
        // Every module key must come from the file, and nothing else may be there.
        var loaded = new Dictionary<string, bool>(StringComparer.Ordinal);
        try
        {
            vae.load_safetensors(safetensors, strict: false, loadedParameters: loaded);
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException or ArgumentException)
        {
            // libtorch's message starts with the cause ("The size of tensor a (64) must match …"); its C++ trace follows.
            Console.Error.WriteLine($"{safetensors}: TorchSharp.PyBridge could not load it into a {file.Input}-{string.Join("-", file.Hidden)}-{file.Latent} VAE: {e.Message.Split('\n')[0]}");
            return 1;
        }
        var missing = own.Where(k => !loaded.GetValueOrDefault(k)).ToList();
        var unexpected = loaded.Where(kv => !kv.Value && !kv.Key.StartsWith("optimizer.", StringComparison.Ordinal)).Select(kv => kv.Key).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            Console.Error.WriteLine($"{safetensors}: missing {string.Join(", ", missing)}; unexpected {string.Join(", ", unexpected)}");
            return 1;
        }
        int skipped = loaded.Count(kv => !kv.Value);
        Console.WriteLine($"PyBridge loaded {own.Count} tensors of {safetensors} into TorchSharp ({skipped} optimizer tensors left aside)");

        var digits = ScratchSide.FixedDigits(file.Digits);
        var torchOut = vae.Reconstruct(digits, file.Digits, file.Input);
        file.Tensors["torchsharp.reconstruction"] = ([file.Digits, file.Input], torchOut);
        return Compare(file, jsonPath, torchOut, file.Tensors["scratch.reconstruction"].Data);
    }

    /// <summary>Records the largest difference in the file, prints it, and fails above <see cref="Tolerance"/>.</summary>
    public static int Compare(BridgeFile file, string jsonPath, float[] torchOut, float[] scratchOut)
    {
        double max = 0;
        int at = 0;
        for (int i = 0; i < torchOut.Length; i++)
        {
            double d = Math.Abs((double)torchOut[i] - scratchOut[i]);
            if (d > max) (max, at) = (d, i);
        }
        file.Scalars["max_abs_difference"] = max;
        file.Write(jsonPath);
        Console.WriteLine($"TorchSharp vs Scratch on {file.Digits} digits: max |difference| {max:E2} (pixel {at % file.Input} of digit {at / file.Input}), tolerance {Tolerance:E0}; wrote {jsonPath}");
        if (max <= Tolerance) return 0;
        Console.Error.WriteLine("MISMATCH: the two implementations do not reconstruct the same digits");
        return 1;
    }
}
