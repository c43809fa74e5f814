using System.Globalization;
using System.Text;

namespace Scratch.Experiments.AnomalyDetection;

/// <summary>
/// The table of a one-class run: the AUROC of each score (rows) with each class as the normal one
/// (columns), and each row's mean over the classes — the figure papers report per method.
/// </summary>
public sealed class OneClassTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly Dictionary<(string Score, int Digit), double> _auroc;

    public IReadOnlyList<string> ScoreNames { get; }
    public IReadOnlyList<int> Classes { get; }

    private OneClassTable(IReadOnlyList<string> scoreNames, IReadOnlyList<int> classes, Dictionary<(string, int), double> auroc)
    {
        ScoreNames = scoreNames;
        Classes = classes;
        _auroc = auroc;
    }

    public static OneClassTable From(IEnumerable<FittedClass> fitted)
    {
        var rows = fitted.SelectMany(f => f.Scores).ToList();
        var names = rows.Select(r => r.ScoreName).Distinct().ToList();
        var classes = rows.Select(r => r.NormalClass).Distinct().ToList();
        var auroc = new Dictionary<(string, int), double>();
        foreach (var r in rows)
            if (!auroc.TryAdd((r.ScoreName, r.NormalClass), r.Auroc))
                throw new ArgumentException($"one-class table: {r.ScoreName} has two results for class {r.NormalClass}");
        foreach (var name in names)
            foreach (int digit in classes)
                if (!auroc.ContainsKey((name, digit)))
                    throw new ArgumentException($"one-class table: {name} has no result for class {digit}");
        return new OneClassTable(names, classes, auroc);
    }

    public double Auroc(string score, int digit) => _auroc[(score, digit)];

    /// <summary>The mean AUROC of a score over the table's classes.</summary>
    public double Mean(string score) => Classes.Average(d => _auroc[(score, d)]);

    /// <summary>score,0,1,…,mean — full precision, for programs.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", Classes.Select(d => d.ToString(C)).Prepend("score").Append("mean")));
        foreach (var name in ScoreNames)
            sb.AppendLine(string.Join(",", Classes.Select(d => Auroc(name, d).ToString("R", C)).Prepend(name).Append(Mean(name).ToString("R", C))));
        return sb.ToString();
    }
}
