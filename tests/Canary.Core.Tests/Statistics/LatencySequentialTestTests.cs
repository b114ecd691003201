using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

public sealed class LatencySequentialTestTests
{
    [Fact]
    public void Constructor_WindowTooSmallForHighestQuantile_ThrowsNamingTheField()
    {
        var options = new LatencySequentialOptions { Quantiles = [0.99], ThresholdWindow = 500 };

        var act = () => new LatencySequentialTest(options);

        act.Should().Throw<ArgumentException>().WithMessage("*ThresholdWindow*1000*");
    }

    [Fact]
    public void Constructor_QuantileOutsideZeroToOne_ThrowsNamingTheIndex()
    {
        var options = new LatencySequentialOptions { Quantiles = [0.5, 1.0] };

        var act = () => new LatencySequentialTest(options);

        act.Should().Throw<ArgumentException>().WithMessage("*Quantiles[1]*");
    }

    [Fact]
    public void Update_NaNLatency_ThrowsNamingTheParameter()
    {
        var test = new LatencySequentialTest();

        var act = () => test.Update([1.0], [1.0, double.NaN]);

        act.Should().Throw<ArgumentException>().WithParameterName("baselineLatencies");
    }

    [Fact]
    public void Update_FirstInterval_OnlyLearnsThresholds()
    {
        var test = new LatencySequentialTest(new LatencySequentialOptions { Quantiles = [0.9] });
        var baseline = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var muchSlower = Enumerable.Repeat(1000.0, 100).ToArray();

        var decision = test.Update(muchSlower, baseline);

        decision.Verdict.Should().Be(SequentialVerdict.Continue);
        decision.RollbackEValue.Should().Be(1);
        test.Thresholds.Should().Equal(90);
    }

    [Fact]
    public void Update_CanaryAlwaysAboveLearnedThreshold_Rejects()
    {
        var test = new LatencySequentialTest(new LatencySequentialOptions { Quantiles = [0.9] });
        var baseline = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        test.Update(baseline, baseline);

        var decision = test.Update(Enumerable.Repeat(1000.0, 100).ToArray(), baseline);

        decision.Verdict.Should().Be(SequentialVerdict.Reject);
        decision.Reason.Should().Contain("p90").And.Contain("100/100");
    }

    [Fact]
    public void Update_QuantileWithoutEnoughBaselineData_BlocksPromotion()
    {
        // p99 needs 1,000 baseline values; after 200 only p50 is tested, so the canary cannot be promoted yet.
        var test = new LatencySequentialTest(new LatencySequentialOptions { Quantiles = [0.5, 0.99] });
        var baseline = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var fast = Enumerable.Repeat(0.5, 100).ToArray();
        test.Update(fast, baseline);

        var decision = test.Update(fast, baseline);

        double.IsNaN(test.Thresholds[1]).Should().BeTrue();
        decision.Verdict.Should().Be(SequentialVerdict.Continue);
    }

    [Fact]
    public void Update_RollbackThreshold_SplitsAlphaOverQuantiles()
    {
        var test = new LatencySequentialTest(new LatencySequentialOptions { Quantiles = [0.5, 0.9, 0.99], FalseRollbackRate = 0.05 });

        test.Decision.RollbackThreshold.Should().BeApproximately(60, 1e-9);
        test.Decision.PromotionThreshold.Should().BeApproximately(20, 1e-9);
    }

    [Fact]
    public void RequiredSamples_TenTailValuesPerQuantile()
    {
        var options = new LatencySequentialOptions();

        options.RequiredSamples(0.9).Should().Be(100);
        options.RequiredSamples(0.99).Should().Be(1000);
    }
}
