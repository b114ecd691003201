using Canary.Specs;

namespace Canary.Core.Tests.Specs;

public sealed class GoDurationTests
{
    public static TheoryData<string, long> ValidDurations => new()
    {
        { "10s", TimeSpan.FromSeconds(10).Ticks },
        { "1m", TimeSpan.FromMinutes(1).Ticks },
        { "1h30m", TimeSpan.FromMinutes(90).Ticks },
        { "1.5h", TimeSpan.FromMinutes(90).Ticks },
        { "300ms", TimeSpan.FromMilliseconds(300).Ticks },
        { "2h45m30s", new TimeSpan(2, 45, 30).Ticks },
        { "1m30.5s", TimeSpan.FromMilliseconds(90_500).Ticks },
        { ".5s", TimeSpan.FromMilliseconds(500).Ticks },
        { "5.s", TimeSpan.FromSeconds(5).Ticks },
        { "1s500ms", TimeSpan.FromMilliseconds(1500).Ticks },
        { "250us", TimeSpan.FromMicroseconds(250).Ticks },
        { "250\u00b5s", TimeSpan.FromMicroseconds(250).Ticks },
        { "250\u03bcs", TimeSpan.FromMicroseconds(250).Ticks },
        { "100ns", 1 },
        { "150ns", 1 },
        { "0", 0 },
        { "0s", 0 },
        { "+1m", TimeSpan.FromMinutes(1).Ticks },
        { "-1m30s", -TimeSpan.FromSeconds(90).Ticks },
        { "72h", TimeSpan.FromHours(72).Ticks },
    };

    [Theory]
    [MemberData(nameof(ValidDurations))]
    public void TryParse_GoDuration_ReturnsItsValue(string text, long expectedTicks)
    {
        var parsed = GoDuration.TryParse(text, out var duration);

        parsed.Should().BeTrue();
        duration.Ticks.Should().Be(expectedTicks);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("5x")]
    [InlineData("10")]
    [InlineData("1m5")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1..5s")]
    [InlineData("1 m")]
    [InlineData(" 1m")]
    [InlineData("1m ")]
    [InlineData("5d")]
    [InlineData("-")]
    [InlineData("1M")]
    [InlineData("1e3s")]
    [InlineData("99999999999999999999h")]
    [InlineData("3000000000h")]
    public void TryParse_NotAGoDuration_ReturnsFalse(string? text)
    {
        var parsed = GoDuration.TryParse(text, out var duration);

        parsed.Should().BeFalse();
        duration.Should().Be(TimeSpan.Zero);
    }

    public static TheoryData<long, string> Formats => new()
    {
        { 0, "0s" },
        { TimeSpan.FromSeconds(10).Ticks, "10s" },
        { TimeSpan.FromMinutes(1).Ticks, "1m" },
        { TimeSpan.FromMinutes(90).Ticks, "1h30m" },
        { TimeSpan.FromHours(36).Ticks, "36h" },
        { TimeSpan.FromMilliseconds(300).Ticks, "300ms" },
        { TimeSpan.FromMilliseconds(1500).Ticks, "1s500ms" },
        { new TimeSpan(1, 0, 0, 5).Ticks, "24h5s" },
        { TimeSpan.FromMicroseconds(1).Ticks, "1us" },
        { 1, "100ns" },
        { -TimeSpan.FromSeconds(90).Ticks, "-1m30s" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Format_Duration_WritesShortestGoForm(long ticks, string expected)
    {
        var text = GoDuration.Format(TimeSpan.FromTicks(ticks));

        text.Should().Be(expected);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(123_456_789_012L)]
    [InlineData(-7)]
    public void Format_AnyDuration_ParsesBackToIt(long ticks)
    {
        var duration = TimeSpan.FromTicks(ticks);

        var parsed = GoDuration.TryParse(GoDuration.Format(duration), out var roundTripped);

        parsed.Should().BeTrue();
        roundTripped.Should().Be(duration);
    }
}
