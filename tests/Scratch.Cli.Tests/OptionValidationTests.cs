namespace Scratch.Cli.Tests;

/// <summary>
/// Every option of every command against values of the wrong type, out of range, empty, huge and
/// NaN: each is refused where it is parsed, with one line naming the option and the value, and
/// exit code 2 (a usage mistake) — never a stack trace, never a silent default.
/// </summary>
public class OptionValidationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        // Options every command has.
        foreach (var command in new[] { "train", "eval c.scratch", "sample c.scratch", "compare", "report r" })
            foreach (var value in new[] { "abc", "1.5", "0", "-1", "1000", "", "NaN", "99999999999" })
                yield return Case($"{command} --threads", value);

        // train and compare share the recipe.
        foreach (var command in new[] { "train", "compare" })
        {
            foreach (var v in new[] { "abc", "-1", "1.5", "", "100001", "99999999999" }) yield return Case($"{command} --epochs", v);
            foreach (var v in new[] { "abc", "0", "-5", "", "65537" }) yield return Case($"{command} --batch", v);
            foreach (var v in new[] { "abc", "0", "-1e-3", "", "NaN", "Infinity", "-Infinity", "1e400" }) yield return Case($"{command} --lr", v);
            foreach (var v in new[] { "abc", "-1", "", "18446744073709551616", "1.5" }) yield return Case($"{command} --seed", v);
            foreach (var v in new[] { "abc", "0", "-3", "", "2000000000", "16385" }) yield return Case($"{command} --latent", v);
            foreach (var v in new[] { "", "abc", "0", "400,-1", "400,,20", "2000000000", "1.5" }) yield return Case($"{command} --hidden", v, "--hidden");
            foreach (var v in new[] { "abc", "-1", "" }) yield return Case($"{command} --train-limit", v);
            foreach (var v in new[] { "abc", "-1", "" }) yield return Case($"{command} --test-limit", v);
            foreach (var v in new[] { "-0.1", "NaN", "abc", "", "1e7" }) yield return Case($"{command} --beta", v);
            foreach (var v in new[] { "-1", "NaN", "Infinity", "" }) yield return Case($"{command} --warmup", v);
            foreach (var v in new[] { "0", "1", "-0.5", "1.5", "NaN", "" }) yield return Case($"{command} --rho", v);
            foreach (var v in new[] { "-1", "NaN", "" }) yield return Case($"{command} --sparsity-weight", v);
            foreach (var v in new[] { "-1", "NaN", "" }) yield return Case($"{command} --l1", v);
            foreach (var v in new[] { "0", "-0.3", "NaN", "Infinity", "11", "" }) yield return Case($"{command} --sigma", v);
            foreach (var v in new[] { "-0.1", "1", "NaN", "2", "" }) yield return Case($"{command} --mask", v);
            foreach (var v in new[] { "-1", "NaN", "Infinity", "" }) yield return Case($"{command} --lambda", v);
            foreach (var v in new[] { "gelu", "" }) yield return Case($"{command} --activation", v);
            foreach (var v in new[] { "l2", "" }) yield return Case($"{command} --loss", v);
            foreach (var v in new[] { "tpu", "nonsense", "" }) yield return Case($"{command} --device", v);
            foreach (var v in new[] { "rmsprop", "" }) yield return Case($"{command} --optimizer", v);
            foreach (var v in new[] { "-0.1", "1", "NaN", "" }) yield return Case($"{command} --momentum", v);
            foreach (var v in new[] { "-1", "NaN", "" }) yield return Case($"{command} --weight-decay", v);
            foreach (var v in new[] { "linear", "" }) yield return Case($"{command} --schedule", v);
            foreach (var v in new[] { "0", "abc", "" }) yield return Case($"{command} --step-size", v);
            foreach (var v in new[] { "0", "1.5", "NaN", "" }) yield return Case($"{command} --gamma", v);
            foreach (var v in new[] { "-1", "NaN", "" }) yield return Case($"{command} --lr-warmup", v);
            foreach (var v in new[] { "-1", "2.5", "" }) yield return Case($"{command} --patience", v);
            foreach (var v in new[] { "-1", "Infinity", "" }) yield return Case($"{command} --clip-norm", v);
            yield return Case($"{command} --data", "");
            yield return Case($"{command} --out", "");
            yield return Case($"{command} --out", "   ");
        }
        foreach (var v in new[] { "gan", "" }) yield return Case("train --model", v);
        yield return Case("train --resume", "");
        yield return Case("train --model avae --from", "");
        foreach (var v in new[] { "0", "1", "-0.1", "NaN", "" }) yield return Case("train --model avae --rho", v);

        foreach (var v in new[] { "abc", "-1", "1.5", "", "99999999999" }) yield return Case("eval c.scratch --limit", v);
        foreach (var v in new[] { "validation", "" }) yield return Case("eval c.scratch --split", v);
        foreach (var v in new[] { "tpu", "" }) yield return Case("eval c.scratch --device", v);
        yield return Case("eval c.scratch --data", "");

        foreach (var v in new[] { "abc", "0", "-1", "4097", "1.5", "", "99999999999" }) yield return Case("sample c.scratch --count", v);
        foreach (var v in new[] { "abc", "-1", "" }) yield return Case("sample c.scratch --seed", v);
        foreach (var v in new[] { "", " " }) yield return Case("sample c.scratch --out", v);
        yield return Case("sample c.scratch --device", "tpu");

        foreach (var v in new[] { "", " " }) yield return Case("report r --out", v);
        yield return Case("report r --title", "");
        yield return Case("report r --data", "");
    }

    private static TestCaseData Case(string commandAndOption, string value, string? mention = null)
    {
        var words = commandAndOption.Split(' ');
        string option = words[^1];
        return new TestCaseData((string[])[.. words, value], option, mention ?? value).SetName($"{commandAndOption} '{value}'");
    }

    [TestCaseSource(nameof(Cases))]
    public void ABadValueIsOneLineNamingOptionAndValueWithExitCode2(string[] args, string option, string value)
    {
        var result = CliRunner.Run(args);
        result.AssertOneLineError(2, option);
        Assert.That(result.ErrorLines[0], Does.Contain($"'{value}'").Or.Contain(value.Length == 0 ? "''" : value), "the value is named");
        Assert.That(result.ErrorLines[0], Does.Contain("expected"), "the accepted range or set is named");
    }

    [TestCase("--threads", "1", "2", "256")]
    [TestCase("--count", "1", "64", "4096")]
    public void TheBoundsThemselvesAreAccepted(string option, params string[] values)
    {
        foreach (var v in values)
        {
            // A missing checkpoint is a runtime error (exit 1) found after the options passed.
            var result = CliRunner.Run("sample", "no-such.scratch", option, v);
            result.AssertOneLineError(1, "no-such.scratch");
        }
    }

    [Test]
    public void NoneMeansNoHiddenLayerButEmptyIsRefused()
    {
        using var temp = new TempFolder();
        CliRunner.Ok(["train", "--model", "ae", "--epochs", "0", "--out", temp.Path, "--hidden", "none", "--latent", "3", "--train-limit", "64", "--test-limit", "32"]);
        Assert.That(Models.Checkpoints.ModelCheckpoint.Load(temp.File("checkpoint.scratch")).Spec.Config.Describe(), Is.EqualTo("784-3"));
        CliRunner.Run("train", "--hidden", "").AssertOneLineError(2, "--hidden", "none");
    }
}
