using Scratch.Models.Checkpoints;

namespace Scratch.Models.Tests.Checkpoints;

// An epoch's duration is written as TotalSeconds and must come back as the same tick count, or a
// checkpoint that is read and written again (generate --resume reusing a finished run) changes bytes.
public class DurationRoundTripTests
{
    [Test]
    public void EveryTickCount_ComesBackExactly()
    {
        int truncatedByFromSeconds = 0;
        for (long ticks = 0; ticks < 200_000_000; ticks += 997)   // 0 to 20 s
        {
            double seconds = TimeSpan.FromTicks(ticks).TotalSeconds;
            if (RunJson.Duration(seconds).Ticks != ticks)
                Assert.Fail($"{seconds} s came back as {RunJson.Duration(seconds).Ticks} ticks, not {ticks}");
            if (TimeSpan.FromSeconds(seconds).Ticks != ticks) truncatedByFromSeconds++;
        }
        Assert.That(truncatedByFromSeconds, Is.GreaterThan(0), "the range holds values that TimeSpan.FromSeconds gets wrong");
        TestContext.Out.WriteLine($"TimeSpan.FromSeconds lost a tick on {truncatedByFromSeconds} of {200_000_000 / 997 + 1} values");
    }

    [Test]
    public void AHugeValue_IsTheLongestDuration_NotAnOverflow() =>
        Assert.That(RunJson.Duration(1e300), Is.EqualTo(TimeSpan.MaxValue));
}
