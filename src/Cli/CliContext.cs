using Spectre.Console;

namespace Scratch.Cli;

/// <summary>
/// Where a command writes: a Spectre console for tables and progress, a plain writer for the one
/// error line. Passed in rather than global, so tests run the program in-process and read both.
/// </summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error)
{
    // Tables are drawn this wide when the output is not a terminal (a terminal reports its own width).
    private const int RedirectedWidth = 160;

    public IAnsiConsole Console { get; } = console;
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>
    /// Where progress and notes go (epoch lines, "training …" headers): this context itself, or,
    /// set per run by <see cref="ScratchApp"/>, a silent one (--quiet) or one on stderr (--json,
    /// so stdout holds only the JSON). Results — score tables, "wrote …" lines — use the context itself.
    /// </summary>
    public CliContext Progress { get => _progress ?? this; set => _progress = value; }
    private CliContext? _progress;

    /// <summary>A context that writes nothing: --quiet's progress.</summary>
    public static CliContext Silent() => ForWriters(TextWriter.Null, TextWriter.Null);

    /// <summary>A context that writes to this one's error writer: --json's progress.</summary>
    public CliContext OnError() => ForWriters(Error, Error);

    /// <summary>Live progress bars only on a terminal; logs and tests get one line per epoch.</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>A plain line, never wrapped or interpreted as markup, so logs can be searched.</summary>
    public void Line(string text = "")
    {
        Output.WriteLine(text);
        Output.Flush();
    }

    /// <summary>The real console: Spectre's, with a wide layout when the output goes to a file or pipe.</summary>
    public static CliContext ForConsole()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected) console.Profile.Width = RedirectedWidth;
        return new CliContext(console, System.Console.Out, System.Console.Error);
    }

    /// <summary>A console over a writer, without colours or live widgets: for tests and redirected output.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return new CliContext(console, output, error);
    }
}
