using BenchmarkDotNet.Running;
using Scratch.Benchmarks.Torch;

// Scratch side by side with TorchSharp. Modes:
//   quick               every pair with a Stopwatch-median harness, the GC check and the parity check
//                       (a few minutes; --no-epoch and --no-parity leave those out)
//   parity [epochs]     the pytorch/examples VAE recipe in both engines, test losses within 2%
//   gc [threads]        1,000 Scratch VAE steps: bytes per step, Gen0/1/2 collections
//   profile [threads]   where a Scratch VAE step's time goes, phase by phase, and its GEMMs' share
//   anything else       BenchmarkDotNet, in-process, e.g. --filter '*TrainingStep*' --job short
TorchRuntime.Ensure();
switch (args)
{
    case ["quick", ..]:
        QuickRun.Run(includeEpoch: !args.Contains("--no-epoch"));
        if (!args.Contains("--no-parity")) Parity.Run();
        break;
    case ["parity", ..]:
        Environment.ExitCode = Parity.Run(epochs: args.Length > 1 ? int.Parse(args[1]) : 10) ? 0 : 1;
        break;
    case ["gc", ..]:
        Environment.ExitCode = GcCheck.Run(threads: args.Length > 1 ? int.Parse(args[1]) : 1) ? 0 : 1;
        break;
    case ["profile", ..]:
        StepProfile.Run(threads: args.Length > 1 ? int.Parse(args[1]) : 1);
        break;
    default:
        // In-process: an out-of-process child would rebuild this project and copy libtorch (~600 MB) again.
        string[] bdnArgs = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(bdnArgs);
        break;
}
