using System.Globalization;
using Scratch.Models.Training;
using Spectre.Console;

namespace Scratch.Cli.Output;

/// <summary>
/// Shows training as it runs. On a terminal: one Spectre progress bar per epoch, its label
/// carrying the running loss, each loss term and samples/s, with the time left in the epoch.
/// Elsewhere (a log file, a test): one plain line per finished epoch, no control characters.
/// </summary>
public sealed class TrainingView(CliContext context)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs <paramref name="work"/>, giving it the step and epoch callbacks that draw the view.</summary>
    public T Run<T>(Func<Action<string, StepProgress>, Action<string, EpochResult>, T> work, int epochs)
    {
        if (!context.Interactive)
            return work((_, _) => { }, (name, r) => context.Line(EpochLine(name, r, epochs)));

        T result = default!;
        context.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = BarWidth }, new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                ProgressTask? task = null;
                (string Name, int Epoch) current = ("", -1);
                void OnStep(string name, StepProgress p)
                {
                    if (task is null || current != (name, p.Epoch))
                    {
                        task = progress.AddTask(Fit($"{name} epoch {p.Epoch}/{epochs}"), maxValue: p.StepsPerEpoch);
                        current = (name, p.Epoch);
                    }
                    task.Value = p.Step;
                    task.Description = Fit(string.Format(C, "{0} epoch {1}/{2}  loss {3:F3}{4}  {5:N0} samples/s",
                        name, p.Epoch, epochs, p.RunningLoss, Terms(p.Terms), p.SamplesPerSecond));
                }
                void OnEpoch(string name, EpochResult r)
                {
                    if (task is not null && current == (name, r.Epoch))
                    {
                        // Compact, so a narrow terminal still shows both losses; the terms are in history.csv.
                        task.Description = Fit(string.Format(C, "{0} epoch {1}/{2}  train {3:F3}  test {4:F3}  {5:N0} samples/s",
                            name, r.Epoch, epochs, r.TrainLoss, r.TestLoss, r.SamplesPerSecond));
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }
                }
                result = work(OnStep, OnEpoch);
            });
        return result;
    }

    private const int BarWidth = 20;

    // The label gets the width the other columns leave (bar, percentage, time left, spinner,
    // gaps: about 45 characters). Spectre would otherwise shrink an over-long label to "…".
    private string Fit(string label)
    {
        int room = Math.Max(16, context.Console.Profile.Width - BarWidth - 25);
        return Markup.Escape(label.Length <= room ? label : label[..(room - 1)] + "…");
    }

    /// <summary>
    /// "vae epoch 3/10  train 120.123 (reconstruction 98.1, kl 22.0)  test 118.456  25,000 samples/s  0.3 s (data 0.4%)":
    /// the data share is the part of the epoch its steps waited for their batches.
    /// </summary>
    public static string EpochLine(string name, EpochResult r, int epochs) =>
        string.Format(C, "{0} epoch {1}/{2}  train {3:F3}{4}  test {5:F3}{6}  {7:N0} samples/s  {8:F1} s{9}",
            name, r.Epoch, epochs, r.TrainLoss, Terms(r.TrainTerms), r.TestLoss, Terms(r.TestTerms), r.SamplesPerSecond, r.Duration.TotalSeconds,
            r.DataTime > TimeSpan.Zero && r.Duration > TimeSpan.Zero ? string.Format(C, " (data {0:P1})", r.DataTime / r.Duration) : "");

    // A single term is the loss itself; only a split into several terms is worth showing.
    // G4, not F3: a penalty of 2e-5 must not print as 0.000 and look switched off.
    private static string Terms(IReadOnlyList<(string Name, double Value)> terms) =>
        terms.Count < 2 ? "" : " (" + string.Join(", ", terms.Select(t => string.Format(C, "{0} {1:G4}", t.Name, t.Value))) + ")";
}
