using System.Globalization;
using System.Text;

namespace Scratch.Experiments.Robustness;

/// <summary>A measure over seeds: its mean, its sample standard deviation (0 for one seed), and its range.</summary>
public sealed record SeedStat(double Mean, double Sd, double Min, double Max, int Count)
{
    /// <summary>The statistics of <paramref name="values"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static SeedStat Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("seed statistics of no values");
        double mean = values.Average();
        double sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new SeedStat(mean, sd, values.Min(), values.Max(), values.Count);
    }

    /// <summary>"0.912 ± 0.004" (or "0.912" for one seed) with the given .NET format.</summary>
    public string Format(string format) =>
        Count < 2 ? Mean.ToString(format, CultureInfo.InvariantCulture)
            : $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Sd.ToString(format, CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The table of a robustness run: per model (in <see cref="RobustnessExperiment.Models"/>' order,
/// or the order measured), each column of <see cref="ModelMeasurement.Columns"/> over the seeds,
/// and the mean robustness curves.
/// </summary>
public sealed class RobustnessSummary
{
    /// <summary>Every measured model and seed, as measured.</summary>
    public IReadOnlyList<ModelMeasurement> Runs { get; }
    /// <summary>The models, in the order they were first measured.</summary>
    public IReadOnlyList<string> Models { get; }
    /// <summary>The column names, in table order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The summary of <paramref name="runs"/>; every run must have the same columns (the same grid).</summary>
    /// <exception cref="ArgumentException">No runs, or runs measured on different grids.</exception>
    public RobustnessSummary(IReadOnlyList<ModelMeasurement> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("robustness summary: no runs");
        Columns = runs[0].Columns().Select(c => c.Name).ToList();
        if (runs.Any(r => !r.Columns().Select(c => c.Name).SequenceEqual(Columns)))
            throw new ArgumentException("robustness summary: the runs were measured on different grids");
        Runs = runs;
        Models = runs.Select(r => r.Model).Distinct().ToList();
    }

    /// <summary>One column of one model over its seeds.</summary>
    /// <exception cref="ArgumentException">No such model or column.</exception>
    public SeedStat Stat(string model, string column)
    {
        if (!Columns.Contains(column)) throw new ArgumentException($"robustness summary: no column '{column}'");
        return SeedStat.Of(RunsOf(model).Select(r => r.Columns().First(c => c.Name == column).Value).ToList());
    }

    /// <summary>The model's runs, in seed order.</summary>
    /// <exception cref="ArgumentException">No such model.</exception>
    public IReadOnlyList<ModelMeasurement> RunsOf(string model)
    {
        var runs = Runs.Where(r => r.Model == model).OrderBy(r => r.Seed).ToList();
        return runs.Count > 0 ? runs : throw new ArgumentException($"robustness summary: no model '{model}'");
    }

    /// <summary>A model's curve for one norm: per ε (in grid order), the accuracy over seeds.</summary>
    public IReadOnlyList<(double Epsilon, SeedStat Accuracy)> Curve(string model, AttackNorm norm)
    {
        var runs = RunsOf(model);
        return runs[0].Attacks.Where(a => a.Norm == norm)
            .Select(a => (a.Epsilon, SeedStat.Of(runs.Select(r => r.AccuracyAt(norm, a.Epsilon)).ToList())))
            .ToList();
    }

    /// <summary>One row per model and seed: model, seed, then every column (full precision, invariant culture).</summary>
    public string RunsCsv()
    {
        var sb = new StringBuilder("model,seed," + string.Join(",", Columns) + "\n");
        foreach (var r in Runs)
            sb.Append(r.Model).Append(',').Append(r.Seed.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(string.Join(",", r.Columns().Select(c => c.Value.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    /// <summary>One row per model: seeds, then each column's mean and sample standard deviation over them.</summary>
    public string SummaryCsv()
    {
        var sb = new StringBuilder("model,seeds," + string.Join(",", Columns.SelectMany(c => new[] { c + "_mean", c + "_sd" })) + "\n");
        foreach (var model in Models)
        {
            sb.Append(model).Append(',').Append(RunsOf(model).Count.ToString(CultureInfo.InvariantCulture));
            foreach (var column in Columns)
            {
                var s = Stat(model, column);
                sb.Append(',').Append(s.Mean.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(s.Sd.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
