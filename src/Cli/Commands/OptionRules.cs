using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Scratch.Cli.Commands;

/// <summary>
/// The one place where option values are checked, for every command (new commands should build
/// their options here too). A value is checked where it is parsed, so a mistake is a parse error:
/// one line that names the option, the value and what is accepted, and exit code 2 — before any
/// data is read or any file is touched. The engine keeps its own checks; these exist so that the
/// user reads "--sigma NaN: expected a finite number in (0, 10]" instead of a failure much later.
/// </summary>
public static class OptionRules
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>A whole number in [min, max]; "abc", "1.5", "" and out-of-range values are refused.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue,
    };

    /// <summary>A whole number in [min, max] that may be left out (null).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        CustomParser = r => ParseInt(r, name, min, max),
    };

    /// <summary>A 64-bit seed: 0 to 18446744073709551615.</summary>
    public static Option<ulong> Seed(string name, string description, ulong defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return defaultValue;
            string text = Token(r);
            if (ulong.TryParse(text, NumberStyles.None, C, out ulong value)) return value;
            r.AddError($"{name} '{text}': expected a whole number from 0 to {ulong.MaxValue}");
            return defaultValue;
        },
    };

    /// <summary>A finite number in <paramref name="range"/>; NaN, ±Infinity and text are refused.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, Range range) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return defaultValue;
            string text = Token(r);
            if (double.TryParse(text, NumberStyles.Float, C, out double value) && double.IsFinite(value) && range.Contains(value)) return value;
            r.AddError($"{name} '{text}': expected a finite number in {range}");
            return defaultValue;
        },
    };

    /// <summary>A finite number in <paramref name="range"/> that may be left out (null): for an option whose default depends on another (--rho on --model).</summary>
    public static Option<double?> OptionalDouble(string name, string description, Range range) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return null;
            string text = Token(r);
            if (double.TryParse(text, NumberStyles.Float, C, out double value) && double.IsFinite(value) && range.Contains(value)) return value;
            r.AddError($"{name} '{text}': expected a finite number in {range}");
            return null;
        },
    };

    /// <summary>A text that must not be empty or blank (an output path, a title).</summary>
    public static Option<string> Text(string name, string description, string defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => NonEmpty(r, name) ?? defaultValue,
    };

    /// <summary>A text that may be left out, but not given empty (a path: "" would mean the current folder by accident).</summary>
    public static Option<string?> OptionalText(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r => NonEmpty(r, name),
    };

    /// <summary>One of a fixed set of words; anything else is named with the list.</summary>
    public static Option<string> OneOf(string name, string description, string defaultValue, params string[] accepted)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return defaultValue;
                string text = Token(r);
                if (accepted.Contains(text, StringComparer.Ordinal)) return text;
                r.AddError($"{name} '{text}': expected one of {string.Join(", ", accepted)}");
                return defaultValue;
            },
        };
        option.CompletionSources.Add(accepted); // tab completion offers the accepted words
        return option;
    }

    /// <summary>
    /// A file or folder argument. A value that looks like an option ("--json") and names no existing
    /// path is reported as an unknown option, not taken as a path: System.CommandLine would otherwise
    /// bind it to the argument and fail later with "--json: not found".
    /// </summary>
    public static Argument<string> PathArgument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r => RejectOptionLike(r, r.Tokens.Select(t => t.Value)));
        return argument;
    }

    /// <summary>Several file or folder arguments, with the same rule.</summary>
    public static Argument<string[]> PathArguments(string name, string description)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.OneOrMore };
        argument.Validators.Add(r => RejectOptionLike(r, r.Tokens.Select(t => t.Value)));
        return argument;
    }

    // An empty path is a bad value (exit 2), not a missing file; a word that looks like an option is an unknown option.
    private static void RejectOptionLike(ArgumentResult r, IEnumerable<string> values)
    {
        foreach (var v in values)
        {
            if (string.IsNullOrWhiteSpace(v))
                r.AddError($"{r.Argument.Name}: expected a non-empty value");
            else if (v.Length > 1 && v[0] == '-' && !File.Exists(v) && !Directory.Exists(v))
                r.AddError($"unknown option '{v}'");
        }
    }

    /// <summary>
    /// Comma-separated finite numbers, each in <paramref name="range"/> ("0,0.1,0.3" or "0 0.1 0.3"),
    /// kept in the order given without repeats; "none" is the empty list.
    /// </summary>
    public static Option<double[]> DoubleList(string name, string description, double[] defaultValue, Range range) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = r =>
        {
            var parts = Parts(r);
            if (parts.Length == 1 && parts[0] == "none") return [];
            var values = new List<double>();
            foreach (var part in parts)
            {
                if (!double.TryParse(part, NumberStyles.Float, C, out double value) || !double.IsFinite(value) || !range.Contains(value))
                {
                    r.AddError($"{name} '{part}': expected comma-separated finite numbers in {range} (or none)");
                    return defaultValue;
                }
                if (!values.Contains(value)) values.Add(value);
            }
            if (values.Count == 0) r.AddError($"{name}: expected at least one number in {range} (or none)");
            return values.ToArray();
        },
    };

    /// <summary>Comma-separated 64-bit seeds ("1,2,3"), in the order given without repeats.</summary>
    public static Option<ulong[]> SeedList(string name, string description, ulong[] defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = r =>
        {
            var seeds = new List<ulong>();
            foreach (var part in Parts(r))
            {
                if (!ulong.TryParse(part, NumberStyles.None, C, out ulong seed))
                {
                    r.AddError($"{name} '{part}': expected comma-separated whole numbers from 0 to {ulong.MaxValue}");
                    return defaultValue;
                }
                if (!seeds.Contains(seed)) seeds.Add(seed);
            }
            if (seeds.Count == 0) r.AddError($"{name}: expected at least one seed");
            return seeds.ToArray();
        },
    };

    /// <summary>Comma-separated words, each one of <paramref name="accepted"/>, in the order given without repeats.</summary>
    public static Option<string[]> WordList(string name, string description, string[] defaultValue, params string[] accepted)
    {
        var option = new Option<string[]>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r =>
            {
                var words = Parts(r).Distinct(StringComparer.Ordinal).ToArray();
                var unknown = words.Where(w => !accepted.Contains(w, StringComparer.Ordinal)).ToList();
                if (words.Length == 0 || unknown.Count > 0)
                {
                    r.AddError($"{name} '{string.Join(",", unknown)}': expected a comma-separated list of {string.Join(", ", accepted)}");
                    return defaultValue;
                }
                return words;
            },
        };
        option.CompletionSources.Add(accepted);
        return option;
    }

    // Every token of a list option, split at commas: "1,2" "3" → 1, 2, 3.
    private static string[] Parts(ArgumentResult r) =>
        r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    /// <summary>Adds the short and long spellings the dotnet CLI uses for an output path: -o, --output.</summary>
    public static T WithOutputAliases<T>(T option) where T : Option
    {
        option.Aliases.Add("-o");
        option.Aliases.Add("--output");
        return option;
    }

    /// <summary>An interval of accepted numbers, printed as "[0, 1)" or "(0, 10]".</summary>
    public readonly record struct Range(double Min, double Max, bool MinOpen = false, bool MaxOpen = false)
    {
        public static Range AtLeast(double min, double max = 1e6) => new(min, max);
        public static Range Positive(double max) => new(0, max, MinOpen: true);
        public bool Contains(double v) => (MinOpen ? v > Min : v >= Min) && (MaxOpen ? v < Max : v <= Max);
        /// <summary>Any finite number above <paramref name="min"/> (a learning rate has no natural ceiling).</summary>
        public static Range Above(double min) => new(min, double.MaxValue, MinOpen: true);
        public override string ToString() => Max == double.MaxValue
            ? string.Create(C, $"{(MinOpen ? ">" : "≥")} {Min:G}")
            : string.Create(C, $"{(MinOpen ? '(' : '[')}{Min:G}, {Max:G}{(MaxOpen ? ')' : ']')}");
    }

    /// <summary>The accepted range of a whole-number option as help and errors print it.</summary>
    public static string Describe(int min, int max) => string.Create(C, $"a whole number from {min} to {max}");

    internal static int? ParseInt(ArgumentResult r, string name, int min, int max)
    {
        if (r.Tokens.Count == 0) return null;
        string text = Token(r);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, C, out int value) && value >= min && value <= max) return value;
        r.AddError($"{name} '{text}': expected {Describe(min, max)}");
        return null;
    }

    private static string? NonEmpty(ArgumentResult r, string name)
    {
        if (r.Tokens.Count == 0) return null;
        string text = Token(r);
        if (!string.IsNullOrWhiteSpace(text)) return text;
        r.AddError($"{name} '{text}': expected a non-empty value");
        return null;
    }

    // The option's last token (a repeated option keeps the last value, as System.CommandLine does).
    private static string Token(ArgumentResult r) => r.Tokens[^1].Value;
}
