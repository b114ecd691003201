using Canary.Analysis;
using Canary.Engine;
using Canary.Model;
using Canary.Statistics;

namespace Canary.Core.Tests.Engine;

public sealed class KayentaSamplerTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Buckets at 10, 20, 40 and 80 ms holding the given cumulative counts, then +∞ holding <paramref name="total"/>.</summary>
    private static LatencyBucket[] Histogram(long le10, long le20, long le40, long le80, long total) =>
        [new(10, le10), new(20, le20), new(40, le40), new(80, le80), new(double.PositiveInfinity, total)];

    private static TrafficCounts Counts(long requests, long errors, LatencyBucket[]? buckets = null) =>
        new(requests, errors) { LatencyBuckets = buckets ?? [] };

    [Fact]
    public void Quantile_RankInsideABucket_InterpolatesLinearlyAsPrometheusDoes()
    {
        // 100 requests: 10 at most 10 ms, 50 at most 20 ms; the median (rank 50) is at the end of the second bucket,
        // p30 (rank 30) halfway into it: 10 + 10 × (30 − 10) / 40 = 15 ms.
        var buckets = Histogram(10, 50, 90, 100, 100);

        KayentaSampler.Quantile(buckets, 0.3).Should().BeApproximately(15, 1e-9);
        KayentaSampler.Quantile(buckets, 0.5).Should().BeApproximately(20, 1e-9);
    }

    [Fact]
    public void Quantile_RankInTheFirstBucket_InterpolatesFromZero()
    {
        KayentaSampler.Quantile(Histogram(10, 50, 90, 100, 100), 0.05).Should().BeApproximately(5, 1e-9);
    }

    [Fact]
    public void Quantile_RankInTheInfiniteBucket_ReturnsTheHighestFiniteBound()
    {
        KayentaSampler.Quantile(Histogram(10, 50, 90, 95, 100), 0.99).Should().Be(80);
    }

    [Fact]
    public void Quantile_EmptyHistogram_ReturnsNull()
    {
        KayentaSampler.Quantile(Histogram(0, 0, 0, 0, 0), 0.5).Should().BeNull();
        KayentaSampler.Quantile([], 0.5).Should().BeNull();
    }

    [Fact]
    public void AddSlice_Counts_GiveTheErrorRateAndTheQuantilesOfEachSide()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta };

        var state = KayentaSampler.AddSlice(spec, null, Counts(100, 5, Histogram(10, 50, 90, 100, 100)), Counts(1000, 10, Histogram(500, 1000, 1000, 1000, 1000)), Start);

        state.Metrics.Should().Equal("error-rate", "latency-p50", "latency-p99");
        var slice = state.Slices.Should().ContainSingle().Subject;
        slice.Canary.Should().Equal(0.05, 20, 76);
        slice.Comparison.Should().Equal(0.01, 10, 19.8);
        slice.CanaryRequests.Should().Be(100);
        slice.ComparisonRequests.Should().Be(1000);
        state.SampledUntil.Should().Be(Start);
    }

    [Fact]
    public void AddSlice_EitherSideBelowMinRequestsPerSample_LeavesTheSliceOpen()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, MinRequestsPerSample = 20 };
        var before = KayentaSampler.AddSlice(spec, null, Counts(100, 1), Counts(100, 1), Start);

        var fewCanary = KayentaSampler.AddSlice(spec, before, Counts(19, 1, Histogram(19, 19, 19, 19, 19)), Counts(500, 2), Start.AddSeconds(10));
        var fewComparison = KayentaSampler.AddSlice(spec, before, Counts(500, 2), Counts(19, 0), Start.AddSeconds(10));

        fewCanary.Should().BeSameAs(before, "the counts carry over: the slice still starts where the last one ended");
        fewComparison.Should().BeSameAs(before);
        before.SampledUntil.Should().Be(Start);
    }

    [Fact]
    public void AddSlice_BothSidesReachMinRequestsPerSample_ClosesTheSliceWithEveryValue()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, MinRequestsPerSample = 20 };

        var state = KayentaSampler.AddSlice(spec, null, Counts(20, 1, Histogram(20, 20, 20, 20, 20)), Counts(20, 0, Histogram(0, 20, 20, 20, 20)), Start);

        state.Slices.Should().ContainSingle().Which.Canary.Should().Equal(0.05, 5, 9.9);
        state.Slices[0].Comparison.Should().Equal(0, 15, 19.9);
        state.SampledUntil.Should().Be(Start);
    }

    [Fact]
    public void WindowSlices_AfterAHold_CountsTheHeldWindowsSlicesWithTheNext()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, Metrics = [new() { Name = "error-rate" }] };
        var state = KayentaSampler.AddSlice(spec, null, Counts(100, 1), Counts(100, 1), Start);
        state = KayentaSampler.Hold(KayentaSampler.AddSlice(spec, state, Counts(100, 1), Counts(100, 1), Start.AddSeconds(10)));

        state = KayentaSampler.AddSlice(spec, state, Counts(100, 1), Counts(100, 1), Start.AddSeconds(20));

        state.HeldIntervals.Should().Be(1);
        KayentaSampler.WindowSlices(spec, state).Should().Be(3);
        var (judged, _, slices) = KayentaSampler.Judge(spec, state);
        slices.Should().Be(3);
        judged.HeldIntervals.Should().Be(0);
        KayentaSampler.WindowSlices(spec, judged).Should().Be(0);
    }

    [Fact]
    public void AddSlice_BeyondMaxSlices_DropsTheOldest()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, MaxSlices = 3 };
        KayentaJudgeState? state = null;

        for (var i = 1; i <= 5; i++)
        {
            state = KayentaSampler.AddSlice(spec, state, Counts(100, i), Counts(100, 0), Start.AddSeconds(i));
        }

        state!.Slices.Select(s => s.Until).Should().Equal(Start.AddSeconds(3), Start.AddSeconds(4), Start.AddSeconds(5));
    }

    [Fact]
    public void AddSlice_SpecWithOtherMetrics_StartsTheSamplesOver()
    {
        var before = KayentaSampler.AddSlice(new JudgeSpec { Type = JudgeType.Kayenta }, null, Counts(100, 1), Counts(100, 1), Start);
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, Metrics = [new() { Name = "error-rate" }] };

        var state = KayentaSampler.AddSlice(spec, before, Counts(100, 2), Counts(100, 1), Start.AddSeconds(10));

        state.Metrics.Should().Equal("error-rate");
        state.Slices.Should().ContainSingle().Which.Canary.Should().Equal(0.02);
    }

    [Fact]
    public void Judge_LookbackOfOneInterval_ComparesOnlyTheLastIntervalsSlices()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, Metrics = [new() { Name = "error-rate" }] };
        var state = SixSlices(spec, null, canaryErrors: 30);
        (state, var first, _) = KayentaSampler.Judge(spec, state);
        state = SixSlices(spec, state, canaryErrors: 1);

        var (next, second, slices) = KayentaSampler.Judge(spec, state);

        first.Verdict.Should().Be(JudgeVerdict.Fail);
        second.Verdict.Should().Be(JudgeVerdict.Pass);
        slices.Should().Be(6);
        next.Judgements.Should().Be(2);
        next.LastScore.Should().Be(100);
        next.LastVerdict.Should().Be(JudgeVerdict.Pass);
    }

    [Fact]
    public void Judge_CumulativeWindow_ComparesEverySliceKept()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, LookbackIntervals = 0, Metrics = [new() { Name = "error-rate" }] };
        var state = SixSlices(spec, null, canaryErrors: 30);
        (state, _, _) = KayentaSampler.Judge(spec, state);
        state = SixSlices(spec, state, canaryErrors: 1);

        var (_, judgement, slices) = KayentaSampler.Judge(spec, state);

        slices.Should().Be(12);
        judgement.Metrics[0].CanaryCount.Should().Be(12);
    }

    [Fact]
    public void Judge_OneMetricWithoutData_LeavesItOutUnlessItMustHaveData()
    {
        var state = WithLatencyMissing();
        var lenient = new JudgeSpec { Type = JudgeType.Kayenta };
        var strict = lenient with
        {
            Metrics = [new() { Name = "error-rate" }, new() { Name = "latency-p50" }, new() { Name = "latency-p99", MustHaveData = true }],
        };

        var (_, left, _) = KayentaSampler.Judge(lenient, state);
        var (_, failed, _) = KayentaSampler.Judge(strict, state);

        left.Metrics[2].Classification.Should().Be(MetricClassification.NoData);
        left.Verdict.Should().Be(JudgeVerdict.Pass);
        failed.Metrics[2].Classification.Should().Be(MetricClassification.NoDataFailMetric);
        failed.Score.Should().Be(66.67);
        failed.Verdict.Should().Be(JudgeVerdict.Fail);
    }

    [Fact]
    public void Describe_Judgement_GivesTheScoreThresholdsAndEveryMetricsClassification()
    {
        var spec = new JudgeSpec { Type = JudgeType.Kayenta, Metrics = [new() { Name = "error-rate" }] };
        var (_, judgement, slices) = KayentaSampler.Judge(spec, SixSlices(spec, null, canaryErrors: 30));

        KayentaSampler.Describe(spec, judgement, slices, "primary").Should()
            .Be("score 0 (Fail; pass 95, marginal 75) over 6 slices vs the primary: error-rate High ×20.667");
    }

    /// <summary>Six slices of 1,000 requests: the canary with about <paramref name="canaryErrors"/> errors, the comparison with about 2.</summary>
    private static KayentaJudgeState SixSlices(JudgeSpec spec, KayentaJudgeState? state, int canaryErrors)
    {
        for (var i = 0; i < 6; i++)
        {
            var at = (state?.SampledUntil ?? Start).AddSeconds(10);
            state = KayentaSampler.AddSlice(spec, state, Counts(1000, canaryErrors + (i % 3)), Counts(1000, 1 + (i % 2)), at);
        }

        return state!;
    }

    /// <summary>Slices whose p99 is missing on both sides (as no histogram could give), while the error rate and p50 are alike.</summary>
    private static KayentaJudgeState WithLatencyMissing() => new()
    {
        Metrics = ["error-rate", "latency-p50", "latency-p99"],
        Slices = [.. Enumerable.Range(0, 6).Select(i => new KayentaSlice
        {
            Until = Start.AddSeconds(10 * i),
            Canary = [0.01 * (i % 3), 20 + i, null],
            Comparison = [0.01 * ((i + 1) % 3), 20 + ((i + 2) % 6), null],
        })],
    };
}
