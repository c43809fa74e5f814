using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Scratch.Models.Tests;

/// <summary>
/// Every ```csharp block of the READMEs, read at test time, compiled with Roslyn as a top-level
/// program against the engine (Scratch.Models and what it references) and the framework, and run
/// in-process: a snippet that no longer compiles, throws, or fails an assertion of its own
/// (<c>if (!(cond)) throw …</c>) fails the case named after its first line. The compilation is the
/// one a reader gets from <c>dotnet new console</c>: nullable on, the SDK's implicit usings, and
/// warnings count as failures. Blocks fenced ```csharp torchsharp show TorchSharp code, which the
/// suite must not reference (no native libraries in tests); tools/WeightsBridge checks those.
/// </summary>
public class ReadmeSnippetTests
{
    // Relative to the repository root: the front page and each package's own README.
    private static readonly string[] Documents = ["README.md", "src/Kernels/README.md", "src/Tensor/README.md", "src/Autograd/README.md", "src/Models/README.md"];

    private const string Compiled = "csharp";
    private const string TorchSharp = "csharp torchsharp";

    // What Microsoft.NET.Sdk adds to a console project with ImplicitUsings enabled (the template's default).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public sealed record Snippet(string Document, int Line, string Info, string Code)
    {
        public override string ToString() => $"{Document}:{Line}";
    }

    public static IEnumerable<TestCaseData> CompiledSnippets() =>
        Documents.SelectMany(Read).Where(s => s.Info == Compiled)
            .Select(s => new TestCaseData(s).SetName($"Snippet {s}"));

    [TestCaseSource(nameof(CompiledSnippets))]
    public void Snippet_CompilesAndRuns(Snippet snippet)
    {
        var image = Compile(snippet);
        using var temp = new TempFolder();
        var watch = Stopwatch.StartNew();
        Run(image, temp.Path);
        watch.Stop();
        TestContext.Out.WriteLine($"{snippet}: ran in {watch.Elapsed.TotalSeconds:F2} s");
        // The library example loads the sample and takes one VAE step: about a second on two cores.
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"{snippet} is too slow for a README example");
    }

    // Without this, a README whose blocks were all lost or re-fenced would pass by having no cases.
    [Test]
    public void Readme_HasCompiledSnippets() =>
        Assert.That(Read("README.md").Count(s => s.Info == Compiled), Is.GreaterThanOrEqualTo(1));

    // A C# block fenced ```cs or ```c# (or with another marker) would dodge the check unnoticed.
    [Test]
    public void EveryCSharpBlock_IsCompiledOrMarkedTorchSharp()
    {
        var dodging = Documents.SelectMany(Read)
            .Where(s => s.Info.Split(' ')[0].ToLowerInvariant() is "csharp" or "cs" or "c#" or "csharp-torchsharp")
            .Where(s => s.Info is not (Compiled or TorchSharp))
            .Select(s => $"{s} ```{s.Info}");
        Assert.That(dodging, Is.Empty, $"fence C# as ```{Compiled} (compiled here) or ```{TorchSharp} (checked by tools/WeightsBridge)");
    }

    [Test]
    public void Read_FindsFencedBlocksAndTheirLines()
    {
        var snippets = Parse("x.md", ["text", "```csharp", "var a = 1;", "```", "", "  ```csharp torchsharp", "b();", "  ```", "```", "plain", "```"]).ToList();
        Assert.That(snippets.Select(s => (s.Line, s.Info, s.Code)), Is.EqualTo(new[]
        {
            (3, "csharp", "var a = 1;"),
            (7, "csharp torchsharp", "b();"),
            (10, "", "plain"),
        }));
    }

    private static IEnumerable<Snippet> Read(string document) =>
        Parse(document, File.ReadAllLines(Path.Combine(RepositoryRoot(), document)));

    // Fenced code blocks (```info … ```, indented at most three spaces); Line is the first code line, 1-based.
    private static IEnumerable<Snippet> Parse(string document, string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            var open = lines[i].TrimStart(' ');
            if (lines[i].Length - open.Length > 3 || !open.StartsWith("```", StringComparison.Ordinal)) continue;
            int ticks = open.TakeWhile(c => c == '`').Count();
            var info = open[ticks..].Trim();
            int end = i + 1;
            while (end < lines.Length && !IsClosing(lines[end], ticks)) end++;
            yield return new Snippet(document, i + 2, info, string.Join('\n', lines[(i + 1)..end]));
            i = end;
        }
    }

    private static bool IsClosing(string line, int ticks)
    {
        var t = line.Trim();
        return t.Length >= ticks && t.All(c => c == '`');
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "Scratch.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no README.md beside a Scratch.sln above {AppContext.BaseDirectory}");
    }

    private static byte[] Compile(Snippet snippet)
    {
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                // The SDK's own NoWarn: assembly-version unification notes, not problems in the code.
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            });
        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet" + snippet.Line,
            [CSharpSyntaxTree.ParseText(snippet.Code, parse, path: snippet.Document), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            References.Value, options);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{snippet.Document}:{snippet.Line + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Id} {d.GetMessage()}")
            .ToList();
        Assert.That(problems, Is.Empty, $"{snippet} does not compile cleanly as a console program");
        Assert.That(result.Success, Is.True);
        return image.ToArray();
    }

    // The framework (every trusted platform assembly outside the test's own folder) and the engine:
    // Scratch.Models and everything it references, transitively. Not NUnit, not the tests.
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var testFolder = Path.GetFullPath(AppContext.BaseDirectory);
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFullPath(p).StartsWith(testFolder, StringComparison.Ordinal));
        var engine = new HashSet<string>();
        var pending = new Stack<Assembly>([typeof(Scratch.Models.Nn.Module).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!Path.GetFullPath(assembly.Location).StartsWith(testFolder, StringComparison.Ordinal) || !engine.Add(assembly.Location)) continue;
            foreach (var name in assembly.GetReferencedAssemblies()) pending.Push(Assembly.Load(name));
        }
        return framework.Concat(engine).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    // Loads the program beside the test's own copy of the engine (a collectible context that falls
    // back to the default one) and runs its entry point in folder, where it may write files.
    private static void Run(byte[] image, string folder)
    {
        var context = new AssemblyLoadContext("readme-snippet", isCollectible: true);
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = folder;
            var entry = context.LoadFromStream(new MemoryStream(image)).EntryPoint!;
            var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            context.Unload();
        }
    }
}
