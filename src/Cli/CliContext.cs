using Spectre.Console;

namespace Scratch.Cli;

/// <summary>
/// Where a command writes: a Spectre console for tables and progress, a plain writer for the one
/// error line. Passed in rather than global, so tests run the program in-process and read both.
/// </summary>
public sealed class CliContext(IAnsiConsole console, TextWriter error)
{
    public IAnsiConsole Console { get; } = console;
    public TextWriter Error { get; } = error;

    /// <summary>Live progress bars only on a terminal; logs and tests get one line per epoch.</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>A plain line (markup characters are not interpreted).</summary>
    public void Line(string text = "") => Console.WriteLine(text);

    /// <summary>A console over a writer, without colours or live widgets: for tests and redirected output.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        }), error);
}
