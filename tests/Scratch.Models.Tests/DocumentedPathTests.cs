using System.Text.RegularExpressions;

namespace Scratch.Models.Tests;

/// <summary>
/// Docs that stay true: every repository path the READMEs and docs name (src/…, tests/…, docs/…,
/// tools/…, benchmarks/…, data/…) exists. When a file moves, the page that points at it fails here,
/// not in a reader's hands.
/// </summary>
public partial class DocumentedPathTests
{
    private static readonly string[] Pages =
    [
        "README.md", "benchmarks/README.md", "tools/README.md", "docs/checkpoint-format.md",
        "src/Kernels/README.md", "src/Tensor/README.md", "src/Autograd/README.md", "src/Models/README.md",
    ];

    [GeneratedRegex(@"(?<![\w/.-])(?:src|tests|docs|tools|benchmarks|data)/[A-Za-z0-9_./*-]*[A-Za-z0-9_/*]")]
    private static partial Regex RepositoryPath();

    public static IEnumerable<string> PagesToCheck() => Pages;

    [TestCaseSource(nameof(PagesToCheck))]
    public void EveryPathThePageNames_Exists(string page)
    {
        string root = RepositoryRoot();
        var paths = RepositoryPath().Matches(File.ReadAllText(Path.Combine(root, page))).Select(m => m.Value).Distinct().ToList();
        if (page == "README.md")
            Assert.That(paths, Has.Count.GreaterThan(10), "the front page names many paths: is the pattern still right?");
        var missing = paths.Where(p => !Exists(root, p)).ToList();
        Assert.That(missing, Is.Empty, $"{page} names paths that do not exist");
    }

    // A path may end in a glob (data/mnist-sample/*.gz) or be a folder.
    private static bool Exists(string root, string path)
    {
        string full = Path.Combine(root, path);
        if (File.Exists(full) || Directory.Exists(full)) return true;
        string? folder = Path.GetDirectoryName(full);
        return path.Contains('*') && folder is not null && Directory.Exists(folder)
            && Directory.EnumerateFiles(folder, Path.GetFileName(full)).Any();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "Scratch.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no README.md beside a Scratch.sln above {AppContext.BaseDirectory}");
    }
}
