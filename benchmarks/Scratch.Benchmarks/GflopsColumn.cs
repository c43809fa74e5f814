using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Scratch.Benchmarks;

/// <summary>A benchmark parameter that knows how many floating-point operations one call does.</summary>
public interface IFlopCount
{
    double Flops { get; }
}

/// <summary>
/// GFLOP/s = flops of one call / mean time, for any benchmark with an <see cref="IFlopCount"/>
/// parameter. A rate, not a time, is what compares with the machine's peak (≈ 115 GFLOP/s of
/// FP32 FMA per Zen 4 core here) and with other libraries.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Billions of floating-point operations per second (2·M·N·K per GEMM / mean time)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var flops = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCount>().FirstOrDefault();
        var meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is null || meanNs is not > 0) return "-";
        return (flops.Flops / meanNs.Value).ToString("F1"); // flops per ns = GFLOP/s
    }
}
