using Canary.Testing.Simulation;

namespace Canary.Testing.Tests.Simulation;

public class LatencyHistogramTests
{
    [Fact]
    public void ToBuckets_RecordedDurations_AreCumulativeAndEndWithEveryRequest()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1);
        histogram.Record(50);
        histogram.Record(50);
        histogram.Record(400);

        var buckets = histogram.ToBuckets();

        buckets.Select(b => b.CumulativeCount).Should().BeInAscendingOrder();
        buckets.Select(b => b.UpperBoundMilliseconds).Should().BeInAscendingOrder();
        buckets[^1].UpperBoundMilliseconds.Should().Be(double.PositiveInfinity);
        buckets[^1].CumulativeCount.Should().Be(4);
        buckets.First(b => b.UpperBoundMilliseconds >= 50).CumulativeCount.Should().Be(3);
        buckets.Last(b => b.UpperBoundMilliseconds < 1).CumulativeCount.Should().Be(0);
    }

    [Fact]
    public void ToBuckets_NothingRecorded_CountsNothing()
    {
        var buckets = new LatencyHistogram().ToBuckets();

        buckets.Should().OnlyContain(b => b.CumulativeCount == 0);
    }
}
