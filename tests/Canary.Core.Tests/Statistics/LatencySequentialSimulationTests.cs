using Canary.Statistics;
using Xunit.Abstractions;

namespace Canary.Core.Tests.Statistics;

// Seeded Monte Carlo checks of the latency test: 500 requests per side per interval, a look after each of 20
// intervals. The test only compares latencies with thresholds, so for the A/A checks any continuous distribution
// gives the same outcome; uniform draws keep those runs cheap.
public sealed class LatencySequentialSimulationTests(ITestOutputHelper output)
{
    private const int Intervals = 20;
    private const int RequestsPerInterval = 500;

    [Fact]
    public void Update_AACanaryCheckedEveryInterval_FalseRollbackRateAtMostAlpha()
    {
        var outcome = Simulate(1_000, seed: 1, new LatencySequentialOptions { ThresholdWindow = 1000 }, UniformPair);

        output.WriteLine($"A/A latency, default ratios: {outcome}");
        outcome.RejectRate.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_AACanaryOnTheRollbackBoundary_FalseRollbackRateAtMostAlpha()
    {
        // RollbackRatio 1 makes an A/A canary the hardest null: equal exceedance rates at every quantile.
        var options = new LatencySequentialOptions { ThresholdWindow = 1000, RollbackRatio = 1, PromotionRatio = 1 };

        var outcome = Simulate(1_000, seed: 2, options, UniformPair);

        output.WriteLine($"A/A latency, ratios 1: {outcome}");
        outcome.RejectRate.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_AACanaryOnThePromotionBoundary_FalsePromotionRateAtMostBeta()
    {
        var options = new LatencySequentialOptions { ThresholdWindow = 1000, RollbackRatio = 1, PromotionRatio = 1 };

        var outcome = Simulate(1_000, seed: 3, options, UniformPair);

        output.WriteLine($"A/A latency, ratios 1: {outcome}");
        outcome.AcceptRate.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_CanaryThirtyPercentSlower_RejectedWithinFewIntervals()
    {
        var outcome = Simulate(200, seed: 4, new LatencySequentialOptions(), LogNormalPair(1.3));

        output.WriteLine($"canary latency ×1.3: {outcome}");
        outcome.RejectRate.Should().Be(1);
        outcome.MedianRejectInterval.Should().BeLessThanOrEqualTo(4);
        outcome.LatestRejectInterval.Should().BeLessThan(Intervals);
    }

    [Fact]
    public void Update_CanaryTwentyPercentFaster_AcceptedEarly()
    {
        var outcome = Simulate(200, seed: 5, new LatencySequentialOptions(), LogNormalPair(0.8));

        output.WriteLine($"canary latency ×0.8: {outcome}");
        outcome.AcceptRate.Should().Be(1);
        outcome.MedianAcceptInterval.Should().BeLessThanOrEqualTo(6);
    }

    private static (double[] Canary, double[] Baseline) UniformPair(Random random) =>
        (Uniform(random), Uniform(random));

    private static double[] Uniform(Random random)
    {
        var values = new double[RequestsPerInterval];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble();
        }

        return values;
    }

    private static Func<Random, (double[] Canary, double[] Baseline)> LogNormalPair(double canaryFactor) => random =>
        (SeededSampling.LogNormal(random, RequestsPerInterval, 100 * canaryFactor, 0.5),
         SeededSampling.LogNormal(random, RequestsPerInterval, 100, 0.5));

    private static Outcome Simulate(
        int runs, int seed, LatencySequentialOptions options, Func<Random, (double[] Canary, double[] Baseline)> draw)
    {
        var random = new Random(seed);
        var rejectedAt = new List<int>();
        var acceptedAt = new List<int>();
        for (var run = 0; run < runs; run++)
        {
            var test = new LatencySequentialTest(options);
            for (var interval = 1; interval <= Intervals; interval++)
            {
                var (canary, baseline) = draw(random);
                var decision = test.Update(canary, baseline);
                if (decision.Verdict == SequentialVerdict.Reject)
                {
                    rejectedAt.Add(interval);
                    break;
                }

                if (decision.Verdict == SequentialVerdict.Accept)
                {
                    acceptedAt.Add(interval);
                    break;
                }
            }
        }

        return new Outcome(runs, rejectedAt, acceptedAt);
    }

    private sealed record Outcome(int Runs, List<int> RejectedAt, List<int> AcceptedAt)
    {
        public double RejectRate => RejectedAt.Count / (double)Runs;

        public double AcceptRate => AcceptedAt.Count / (double)Runs;

        public int MedianRejectInterval => Median(RejectedAt);

        public int LatestRejectInterval => RejectedAt.Max();

        public int MedianAcceptInterval => Median(AcceptedAt);

        public override string ToString() =>
            $"{Runs} runs: rejected {RejectRate:P2} (median interval {Median(RejectedAt)}), "
            + $"accepted {AcceptRate:P2} (median interval {Median(AcceptedAt)})";

        private static int Median(List<int> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);
    }
}
