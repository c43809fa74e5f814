namespace Scratch.Cli.Tests;

/// <summary>What one in-process run of the program printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>A failure as the issue asks: non-zero exit, exactly one line on stderr, no stack trace.</summary>
    public void AssertOneLineError(int expectedCode, params string[] mentions)
    {
        Assert.That(ExitCode, Is.EqualTo(expectedCode), $"exit code; stderr: {Error}");
        Assert.That(ErrorLines, Has.Length.EqualTo(1), $"one error line; stderr: {Error}");
        Assert.That(ErrorLines[0], Does.StartWith("error: "));
        Assert.That(Error, Does.Not.Contain("   at "), "no stack trace");
        foreach (var m in mentions) Assert.That(ErrorLines[0], Does.Contain(m));
    }
}

/// <summary>Runs the scratch program's entry point in this process, capturing both outputs.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ScratchApp.Run(args, CliContext.ForWriters(output, error), output);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and requires success, showing stderr if not.</summary>
    public static CliResult Ok(params string[] args)
    {
        var result = Run(args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"scratch {string.Join(' ', args)} failed: {result.Error}");
        return result;
    }
}
