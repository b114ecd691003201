using Canary.Metrics.Graphite;
using Canary.Metrics.Templates;

namespace Canary.Metrics.Tests.Graphite;

public sealed class GraphiteQueryTests
{
    [Theory]
    [InlineData(30, "-30s")]
    [InlineData(60, "-1min")]
    [InlineData(90, "-90s")]
    [InlineData(600, "-10min")]
    [InlineData(7200, "-2h")]
    public void RelativeTime_Window_WritesLargestWholeGraphiteUnit(int seconds, string expected)
    {
        GraphiteQuery.RelativeTime(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
    }

    [Fact]
    public void RelativeTime_UnderASecond_RoundsUpToOneSecond()
    {
        GraphiteQuery.RelativeTime(TimeSpan.FromMilliseconds(500)).Should().Be("-1s");
    }

    [Fact]
    public void Parameters_Target_AddsFromAndFormat()
    {
        GraphiteQuery.Parameters("sumSeries(a.*)", TimeSpan.FromMinutes(1), "t").Should().Equal(
            new KeyValuePair<string, string>("target", "sumSeries(a.*)"),
            new KeyValuePair<string, string>("from", "-1min"),
            new KeyValuePair<string, string>("format", "json"));
    }

    [Fact]
    public void Parameters_QueryStringWithEscapes_DecodesThem()
    {
        GraphiteQuery.Parameters("target=alias(a.b%2Cc, 'x')&from=-1h", TimeSpan.FromMinutes(1), "t").Should().Equal(
            new KeyValuePair<string, string>("target", "alias(a.b,c, 'x')"),
            new KeyValuePair<string, string>("from", "-1h"),
            new KeyValuePair<string, string>("format", "json"));
    }

    [Fact]
    public void Parameters_QueryStringWithNamelessParameter_ThrowsNamingIt()
    {
        var act = () => GraphiteQuery.Parameters("target=a.b&=x", TimeSpan.FromMinutes(1), "MetricTemplate \"t\"");

        act.Should().Throw<MetricTemplateException>().WithMessage("MetricTemplate \"t\" has a query string with a parameter without a name: \"=x\".");
    }
}
