using Scratch.TorchSharpSupport;
using Scratch.WeightsBridge;

// Scratch's safetensors files against an independent implementation (TorchSharp + TorchSharp.PyBridge).
// Run inside the repository (the digits come from data/mnist-sample); tools/README.md, "WeightsBridge":
//   scratch-outputs CHECKPOINT JSON   Scratch: reconstruct the fixed digits with a scratch-written VAE → JSON
//   torch-check CHECKPOINT JSON       TorchSharp: load it through PyBridge, reconstruct, compare (exit 1 on mismatch)
//   torch-train FILE JSON [HIDDEN LATENT EPOCHS]   TorchSharp: train a VAE, save_safetensors to FILE, reconstructions → JSON
const string Usage = "usage: WeightsBridge scratch-outputs CHECKPOINT JSON | torch-check CHECKPOINT JSON | torch-train FILE JSON [HIDDEN LATENT EPOCHS]";
if (args.Length < 3)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
foreach (var path in args[0] == "torch-train" ? [] : new[] { args[1] })
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{args[0]}: checkpoint '{path}' not found");
        return 2;
    }
}
if (args[0] == "torch-check" && !File.Exists(args[2]))
{
    Console.Error.WriteLine($"torch-check: '{args[2]}' not found; write it first with scratch-outputs");
    return 2;
}
if (args[0] == "scratch-outputs") return ScratchSide.Run(args[1], args[2]);

Console.WriteLine(TorchSharpLoader.EnsureLoadable());
return args[0] switch
{
    "torch-check" => TorchCheck.Run(args[1], args[2]),
    "torch-train" => TorchTrain.Run(args[1], args[2],
        hidden: [args.Length > 3 ? int.Parse(args[3]) : 32], latent: args.Length > 4 ? int.Parse(args[4]) : 4, epochs: args.Length > 5 ? int.Parse(args[5]) : 5),
    _ => Fail(),
};

static int Fail()
{
    Console.Error.WriteLine(Usage);
    return 2;
}
