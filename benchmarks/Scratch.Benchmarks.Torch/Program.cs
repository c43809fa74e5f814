using BenchmarkDotNet.Running;
using Scratch.Benchmarks.Torch;

// Scratch side by side with TorchSharp. Modes:
//   quick               every pair with a Stopwatch-median harness, the GC check and the parity check
//                       (a few minutes; --no-epoch and --no-parity leave those out)
//   gemm [threads] [name…]  only the GEMM pairs (default 1 thread, all shapes; names filter by substring)
//   steps [threads] [kind…] only the training-step pairs (default vae on 1 and 2 threads)
//   parity [epochs]     the pytorch/examples VAE recipe in both engines, test losses within 2%
//   validate            two training steps of every model in both engines, losses within 1e-4 (no timing); the
//                       28×28 DCGAN's two steps in float64 (losses 1e-9, parameters 1e-6)
//   gc [threads]        1,000 Scratch VAE steps: bytes per step, Gen0/1/2 collections
//   conv                the convolution pairs (each conv VAE layer fwd+bwd, a conv VAE step), 1 and 2 threads
//   conv-parity [epochs] [seeds] [data]  the TorchSharp twin of the conv VAE, test loss per seed (default 10 epochs, seeds 1,2,3,
//                       the bundled digits; data: a --data name of the CLI, e.g. colour-mnist), to set beside
//                       `scratch train --model vae --arch conv --epochs E --seed S --threads 1 --data DATA`
//   dcgan64             Radford's DCGAN at 64×64 RGB (z 100, channels 64-128-256-512, batch 64): its training step
//                       in both engines, checked equal (float64, then float32), timed on 1 thread; then each of
//                       its conv layers fwd+bwd with GFLOP/s
//   gan-parity [epochs] [seeds]   the DCGAN of `scratch generate` and its TorchSharp twin, FID per seed (default 5 epochs, seeds 1,2,3)
//   profile [threads]   where a Scratch VAE step's time goes, phase by phase, and its GEMMs' share
//   conv-profile [threads]  where a Scratch conv VAE step's time goes, op by op
//   anything else       BenchmarkDotNet, in-process, e.g. --filter '*TrainingStep*' --job short
TorchRuntime.Ensure();
switch (args)
{
    case ["quick", ..]:
        QuickRun.Run(includeEpoch: !args.Contains("--no-epoch"));
        if (!args.Contains("--no-parity")) Parity.Run();
        break;
    case ["gemm", ..]:
        QuickRun.RunGemms(threads: args.Length > 1 && int.TryParse(args[1], out int gemmThreads) ? gemmThreads : 1,
            names: [.. args.Skip(1).Where(a => !int.TryParse(a, out _))]);
        break;
    case ["steps", ..]:
        QuickRun.RunSteps(threadCounts: args.Length > 1 && int.TryParse(args[1], out int stepThreads) ? [stepThreads] : [1, 2],
            kinds: [.. args.Skip(1).Where(a => !int.TryParse(a, out _))]);
        break;
    case ["parity", ..]:
        Environment.ExitCode = Parity.Run(epochs: args.Length > 1 ? int.Parse(args[1]) : 10) ? 0 : 1;
        break;
    case ["validate", ..]:
        foreach (var kind in Suite.Kinds)
        {
            var losses = new StepPair(kind, Sample.Mnist.Train).Validate(threads: 1);
            Console.WriteLine($"{kind}: " + string.Join("; ", losses.Select(l => $"Scratch {l.Scratch:R}, TorchSharp {l.Torch:R}")));
        }
        // The contractive penalty where it dominates the loss: λ 1000, two hidden layers of each activation (TorchSharp forms J explicitly).
        foreach (var activation in new[] { Scratch.Models.Nn.Activation.Relu, Scratch.Models.Nn.Activation.Tanh, Scratch.Models.Nn.Activation.Sigmoid })
        {
            var spec = new Scratch.Models.Autoencoders.ModelSpec
            {
                Kind = "contractive", ContractiveLambda = 1000,
                Config = new Scratch.Models.Autoencoders.AutoencoderConfig { HiddenSizes = [256, 64], Activation = activation },
            };
            var losses = new StepPair(spec, Sample.Mnist.Train).Validate(threads: 1);
            Console.WriteLine($"contractive λ 1000, 784-256-64-20 {activation}: " + string.Join("; ", losses.Select(l => $"Scratch {l.Scratch:R}, TorchSharp {l.Torch:R}")));
        }
        // The DCGAN of `scratch generate` and gan-parity (28×28 grey, z 64, f 16) against its twin, from the same weights in float64.
        {
            var (losses, worstLoss, worstParameter) = new DcganStepPair(new Scratch.Models.Gans.GanShape(), Sample.Mnist.Train, 64, Scratch.DType.Float64)
                .Validate(lossTolerance: 1e-9, parameterTolerance: 1e-6);
            Console.WriteLine($"dcgan 28×28 z 64 f 16, float64: " + string.Join("; ", losses.Select(l => $"D {l.D:R}, G {l.G:R}")) +
                              $"; losses within {worstLoss:E1}, parameters after two steps within {worstParameter:E1}");
        }
        break;
    case ["gc", ..]:
        Environment.ExitCode = GcCheck.Run(threads: args.Length > 1 ? int.Parse(args[1]) : 1) ? 0 : 1;
        break;
    case ["conv", ..]:
        ConvRun.Run();
        break;
    case ["conv-parity", ..]:
        ConvRun.Parity(epochs: args.Length > 1 ? int.Parse(args[1]) : 10,
            seeds: args.Length > 2 ? args[2].Split(',').Select(ulong.Parse).ToArray() : [1, 2, 3],
            dataName: args.Length > 3 ? args[3] : null);
        break;
    case ["dcgan64", ..]:
        Dcgan64.Run();
        break;
    case ["gan-parity", ..]:
        GanParity.Run(epochs: args.Length > 1 ? int.Parse(args[1]) : 5,
            seeds: args.Length > 2 ? args[2].Split(',').Select(ulong.Parse).ToArray() : [1, 2, 3]);
        break;
    case ["conv-profile", ..]:
        ConvStepProfile.Run(threads: args.Length > 1 ? int.Parse(args[1]) : 1);
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
