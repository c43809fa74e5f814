namespace Scratch.Cli.Tests;

/// <summary>
/// Small training runs shared by the tests (trained once, on the first use): 256 training and
/// 128 test digits, 784-32-2, two epochs — enough to exercise every file a run writes, in a second.
/// </summary>
[SetUpFixture]
public sealed class TinyRuns
{
    public static readonly string[] TinyRecipe = ["--hidden", "32", "--latent", "2", "--batch", "64", "--train-limit", "256", "--test-limit", "128"];

    private static TempFolder? _folder;
    private static readonly Lazy<string> VaeFolder = new(() => Train("vae"));
    private static readonly Lazy<string> AeFolder = new(() => Train("ae"));

    /// <summary>A folder with a two-epoch VAE run.</summary>
    public static string Vae => VaeFolder.Value;

    /// <summary>A folder with a two-epoch plain AE run.</summary>
    public static string Ae => AeFolder.Value;

    public static string Folder => (_folder ??= new TempFolder()).Path;

    public static string Checkpoint(string runFolder) => Path.Combine(runFolder, "checkpoint.scratch");

    private static string Train(string model)
    {
        var output = Path.Combine(Folder, model);
        CliRunner.Ok(["train", "--model", model, "--epochs", "2", "--out", output, "--threads", "2", .. TinyRecipe]);
        return output;
    }

    [OneTimeTearDown]
    public void DeleteRuns() => _folder?.Dispose();
}
