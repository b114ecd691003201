using System.Text.Json;
using Canary.Analysis;
using Canary.Model;
using Canary.Statistics;

namespace Canary.Core.Tests.Analysis;

public sealed class SequentialJudgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly JudgeSpec ErrorsOnly = new() { LatencyQuantiles = [] };
    private static readonly JudgeSpec Median = new() { LatencyQuantiles = [0.5] };

    [Fact]
    public void Update_ClearErrorRegression_RejectsWithBothRates()
    {
        var judgement = SequentialJudge.Update(ErrorsOnly, null, new TrafficCounts(100, 20), new TrafficCounts(1900, 10), Now, "primary");

        judgement.Verdict.Should().Be(SequentialVerdict.Reject);
        judgement.Reason.Should().StartWith("canary error rate 20% vs 0.53% (e-value ").And.EndWith(" ≥ 100)");
    }

    [Fact]
    public void Update_FewerRequestsThanTheMinimum_Continues()
    {
        var judgement = SequentialJudge.Update(ErrorsOnly with { MinRequests = 200 }, null, new TrafficCounts(100, 20), new TrafficCounts(1900, 10), Now, "primary");

        judgement.Verdict.Should().Be(SequentialVerdict.Continue);
        judgement.Reason.Should().StartWith("too few requests for a verdict (canary 100, primary 1900, need 200)");
    }

    [Fact]
    public void Update_ErrorFreeCanaryAgainstAFailingComparison_Accepts()
    {
        var judgement = SequentialJudge.Update(ErrorsOnly, null, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50), Now, "baseline");

        judgement.Verdict.Should().Be(SequentialVerdict.Accept);
    }

    [Fact]
    public void Update_StrongErrorEvidenceButNoLatencies_DoesNotAccept()
    {
        var judgement = SequentialJudge.Update(Median, null, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50), Now, "primary");

        judgement.Verdict.Should().Be(SequentialVerdict.Continue);
    }

    [Fact]
    public void Update_Rejected_StaysRejected()
    {
        var rejected = SequentialJudge.Update(ErrorsOnly, null, new TrafficCounts(100, 20), new TrafficCounts(1900, 10), Now, "primary");

        var next = SequentialJudge.Update(ErrorsOnly, rejected.State, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50), Now, "primary");

        next.Verdict.Should().Be(SequentialVerdict.Reject);
    }

    [Fact]
    public void Update_FirstInterval_LearnsTheThresholdWithoutTestingLatency()
    {
        var judgement = SequentialJudge.Update(Median, null, Slow(200), Comparison(), Now, "primary");

        var quantile = judgement.State.Latency.Should().ContainSingle().Subject;
        quantile.ThresholdMilliseconds.Should().Be(20);
        quantile.CanaryTested.Should().Be(0);
    }

    [Fact]
    public void Update_CanaryMuchSlower_RejectsOnLatency()
    {
        var first = SequentialJudge.Update(Median, null, TrafficCounts.Empty, Comparison(), Now, "primary");

        var second = SequentialJudge.Update(Median, first.State, Slow(200), Comparison(), Now, "primary");

        second.Verdict.Should().Be(SequentialVerdict.Reject);
        second.Reason.Should().StartWith("canary p50 latency exceeds 1.2× the primary's (primary p50 20ms): 200/200 canary requests slow vs 400/1000 primary requests");
    }

    [Fact]
    public void Update_WithLatencyQuantiles_GivesErrorsHalfTheFalseRollbackRate()
    {
        var judgement = SequentialJudge.Update(Median, null, new TrafficCounts(100, 20), new TrafficCounts(1900, 10), Now, "primary");

        judgement.Reason.Should().EndWith(" ≥ 200)");
    }

    [Fact]
    public void Update_Undecided_ReportsEachThreshold()
    {
        var judgement = SequentialJudge.Update(new JudgeSpec { LatencyQuantiles = [0.5, 0.9] }, null, new TrafficCounts(100, 0), new TrafficCounts(1900, 0), Now, "primary");

        judgement.Reason.Should().Be(
            "no verdict yet: canary error rate 0% vs 0% (rollback e-values: errors 1 < 200, latency 1 < 400; promotion e-value 1 < 20)");
    }

    [Fact]
    public void Update_CanaryAsFastAsTheComparisonOnCoarseBuckets_NeverRejects()
    {
        // The bucket at or above 1.2 × 20 ms is 40 ms: the canary is counted above 40, the comparison above 20.
        var state = (SequentialTestState?)null;
        var verdicts = new List<SequentialVerdict>();
        for (var i = 0; i < 50; i++)
        {
            var judgement = SequentialJudge.Update(Median, state, new TrafficCounts(200, 1) { LatencyBuckets = Histogram(20, 120, 190, 200) }, Comparison(), Now, "primary");
            state = judgement.State;
            verdicts.Add(judgement.Verdict);
        }

        verdicts.Should().NotContain(SequentialVerdict.Reject);
        state!.Latency[0].CanarySlow.Should().Be(49 * 10);
    }

    [Fact]
    public void Update_SpecRatioChangedMidRun_StartsTheEvidenceOver()
    {
        var first = SequentialJudge.Update(ErrorsOnly, null, new TrafficCounts(100, 3), new TrafficCounts(1900, 10), Now, "primary");

        var next = SequentialJudge.Update(ErrorsOnly with { MaxErrorRatio = 2 }, first.State, new TrafficCounts(100, 3), new TrafficCounts(1900, 10), Now.AddMinutes(1), "primary");

        next.State.Intervals.Should().Be(1);
        next.State.CanaryRequests.Should().Be(100);
        next.State.MaxErrorRatio.Should().Be(2);
    }

    [Fact]
    public void Update_StateRoundTrippedThroughJson_DecidesAsTheOriginal()
    {
        var first = SequentialJudge.Update(Median, null, Slow(50), Comparison(), Now, "primary");
        var restored = JsonSerializer.Deserialize<SequentialTestState>(JsonSerializer.Serialize(first.State));

        var fromOriginal = SequentialJudge.Update(Median, first.State, Slow(50), Comparison(), Now, "primary");
        var fromRestored = SequentialJudge.Update(Median, restored, Slow(50), Comparison(), Now, "primary");

        fromRestored.Should().BeEquivalentTo(fromOriginal, o => o.ComparingRecordsByMembers().WithStrictOrdering());
    }

    [Fact]
    public void Update_NegativeOrImpossibleCounts_AreClampedNotThrown()
    {
        var judgement = SequentialJudge.Update(ErrorsOnly, null, new TrafficCounts(-5, 3), new TrafficCounts(10, 20), Now, "primary");

        judgement.State.CanaryRequests.Should().Be(0);
        judgement.State.CanaryErrors.Should().Be(0);
        judgement.State.ComparisonErrors.Should().Be(10);
    }

    /// <summary>1,000 requests with a median bucket of 20 ms.</summary>
    private static TrafficCounts Comparison() => new(1000, 5) { LatencyBuckets = Histogram(100, 600, 950, 1000) };

    private static TrafficCounts Slow(long requests) => new(requests, 0) { LatencyBuckets = Histogram(0, 0, 0, requests) };

    private static LatencyBucket[] Histogram(long le10, long le20, long le40, long le80) =>
    [
        new(10, le10), new(20, le20), new(40, le40), new(80, le80), new(double.PositiveInfinity, le80),
    ];
}
