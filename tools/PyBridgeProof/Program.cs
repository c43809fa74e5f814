using System.Globalization;
using System.Text.Json.Nodes;
using Scratch.Models.Autoencoders;
using Scratch.Models.Checkpoints;
using Scratch.Models.Data;
using Scratch.Models.Optim;
using Scratch.Models.Training;
using Scratch.TorchSharpSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using ScratchSafetensors = Scratch.Models.Checkpoints.Safetensors;
using Rng = Scratch.Rng;

// Weights both ways between Scratch and TorchSharp.PyBridge (an independent safetensors implementation):
//   1. a Scratch-trained VAE, saved by Scratch, loaded into the equivalent torch.nn module by PyBridge:
//      the same reconstructions of test digits;
//   2. a TorchSharp-trained VAE, saved by PyBridge, loaded by Scratch (Safetensors.Load + LoadStateDict):
//      the same reconstructions; that file and the torch outputs are kept as the test fixture
//      tests/golden/pybridge_vae.safetensors + pybridge_vae.json (VAE 784-16-2, small enough to commit).
// Run: dotnet run --project tools/PyBridgeProof -c Release [-- output-folder]
Console.WriteLine(TorchSharpLoader.EnsureLoadable());
string output = args.Length > 0 ? args[0] : Path.Combine(RepositoryRoot(), "tests", "golden");
var data = MnistDataset.Load(MnistDataset.DefaultDirectory());
var test = Batches.Take(data.Test, 8);
int failures = 0;

// 1. Scratch → TorchSharp, at the full size of pytorch/examples' VAE.
{
    var spec = new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [400], LatentSize = 20 } };
    var model = ModelFactory.Create(spec, new Rng(1));
    new Trainer(model, new Adam(model.Parameters()), new TrainOptions { Epochs = 1, TrainLimit = 1024, TestLimit = 256 }).Fit(data);
    string path = Path.Combine(Path.GetTempPath(), "scratch-vae.safetensors");
    ScratchSafetensors.Save(path, model.StateDict().Select(kv => (kv.Key, kv.Value)));
    var twin = new TorchVae(784, 400, 20);
    twin.load_safetensors(path, strict: true);
    var scratch = Reconstruct(model, test);
    var torchOut = twin.Reconstruct(Images(test));
    failures += Compare("Scratch-trained 784-400-20 VAE loaded by PyBridge", scratch, torchOut);
}

// 2. TorchSharp → Scratch: trained by torch (a few Adam steps), saved by PyBridge, loaded by Scratch.
{
    torch.manual_seed(7);
    var twin = new TorchVae(784, 16, 2);
    var optimizer = torch.optim.Adam(twin.parameters(), lr: 1e-2);
    var x = Images(Batches.Take(data.Train, 256));
    for (int step = 0; step < 50; step++)
    {
        optimizer.zero_grad();
        var loss = twin.Loss(x);
        loss.backward();
        optimizer.step();
    }
    string path = Path.Combine(output, "pybridge_vae.safetensors");
    twin.save_safetensors(path);
    var torchOut = twin.Reconstruct(Images(test));

    var model = ModelFactory.Create(new ModelSpec { Kind = "vae", Config = new AutoencoderConfig { HiddenSizes = [16], LatentSize = 2 } }, new Rng(1));
    model.LoadStateDict(ScratchSafetensors.Load(path).ByName, strict: true);
    failures += Compare("TorchSharp-trained 784-16-2 VAE loaded by Scratch", Reconstruct(model, test), torchOut);

    var json = new JsonObject
    {
        ["made_by"] = "dotnet run --project tools/PyBridgeProof -c Release (TorchSharp 0.107.0, TorchSharp.PyBridge 1.4.4)",
        ["file"] = "pybridge_vae.safetensors",
        ["model"] = "vae 784-16-2, relu, encoder.0/encoder.2 and decoder.0/decoder.2 Linear layers",
        ["images"] = "the first 8 test digits of data/mnist-sample",
        ["reconstructions"] = new JsonArray(torchOut.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
    };
    File.WriteAllText(Path.Combine(output, "pybridge_vae.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = false }));
    Console.WriteLine($"wrote {path} and pybridge_vae.json");
}
return failures == 0 ? 0 : 1;

static float[] Reconstruct(Autoencoder model, MnistSplit split)
{
    model.Eval();
    return model.Reconstruct(Scratch.Tensor.FromArray(split.Images, split.Count, split.PixelsPerImage)).ToArray<float>();
}

static torch.Tensor Images(MnistSplit split) => torch.tensor(split.Images, [split.Count, split.PixelsPerImage]);

static int Compare(string what, float[] scratch, float[] torchValues)
{
    double worst = scratch.Zip(torchValues, (a, b) => Math.Abs((double)a - b)).Max();
    bool ok = worst <= 1e-5;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {scratch.Length} pixels, largest difference {worst:E2} ({(ok ? "ok" : "FAILED")}, float32 rounding is ≤ 1e-5)"));
    return ok ? 0 : 1;
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Scratch.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("PyBridgeProof: no Scratch.sln above the current folder; run inside the repository or pass an output folder");
}

/// <summary>
/// The VAE of pytorch/examples as a torch.nn module with Scratch's layout: encoder = Linear, ReLU,
/// Linear(→ 2·latent: μ then log σ²), decoder = Linear, ReLU, Linear(→ logits); so its state_dict
/// names are Scratch's (encoder.0.weight, …).
/// </summary>
internal sealed class TorchVae : nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly nn.Module<torch.Tensor, torch.Tensor> encoder, decoder;
    private readonly int _latent;

    public TorchVae(int input, int hidden, int latent) : base("TorchVae")
    {
        _latent = latent;
        encoder = nn.Sequential(nn.Linear(input, hidden), nn.ReLU(), nn.Linear(hidden, 2 * latent));
        decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, input));
        RegisterComponents();
    }

    // Logits of the reconstruction from μ (eval: no sampling).
    public override torch.Tensor forward(torch.Tensor x) => decoder.forward(encoder.forward(x)[.., .._latent]);

    public float[] Reconstruct(torch.Tensor x)
    {
        using var _ = torch.no_grad();
        return torch.sigmoid(forward(x)).data<float>().ToArray();
    }

    // BCE-sum + KL per sample, with a reparameterized sample.
    public torch.Tensor Loss(torch.Tensor x)
    {
        var head = encoder.forward(x);
        var mu = head[.., .._latent];
        var logVar = head[.., _latent..];
        var z = mu + torch.exp(0.5 * logVar) * torch.randn_like(mu);
        var bce = nn.functional.binary_cross_entropy_with_logits(decoder.forward(z), x, reduction: nn.Reduction.Sum);
        var kl = -0.5 * (1 + logVar - mu.square() - logVar.exp()).sum();
        return (bce + kl) / x.shape[0];
    }
}
