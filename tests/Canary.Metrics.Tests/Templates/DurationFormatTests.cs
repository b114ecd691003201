using Canary.Metrics.Templates;

namespace Canary.Metrics.Tests.Templates;

public sealed class DurationFormatTests
{
    [Theory]
    [InlineData(60_000, "1m")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(5_430_500, "1h30m30s500ms")]
    [InlineData(500, "500ms")]
    [InlineData(172_800_000, "48h")]
    public void Format_Duration_WritesGoDuration(long milliseconds, string expected)
    {
        var text = DurationFormat.Format(TimeSpan.FromMilliseconds(milliseconds));

        text.Should().Be(expected);
    }

    [Fact]
    public void Format_SubMillisecond_Throws()
    {
        var act = () => DurationFormat.Format(TimeSpan.FromTicks(10));

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least one millisecond*");
    }
}
