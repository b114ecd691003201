using Canary.Statistics;
using Xunit.Abstractions;

namespace Canary.Core.Tests.Statistics;

// Seeded Monte Carlo checks of the error-rate test's guarantees. Each interval gives each side 500 requests and the
// engine looks after every one of 20 intervals, as a canary analysis would. Counts are drawn as binomials, so the
// per-request Bernoulli model the engine really sees is simulated, not the Poisson model the test assumes.
public sealed class ErrorRateSequentialSimulationTests(ITestOutputHelper output)
{
    private const int Intervals = 20;
    private const int RequestsPerInterval = 500;

    [Fact]
    public void Update_AACanaryCheckedEveryInterval_FalseRollbackRateAtMostAlpha()
    {
        var outcome = Simulate(10_000, canaryRate: 0.01, baselineRate: 0.01, new ErrorRateSequentialOptions(), seed: 1);

        output.WriteLine(outcome.ToString());
        outcome.RejectRate.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_CanaryExactlyAtRollbackRatio_FalseRollbackRateAtMostAlpha()
    {
        // The hardest null: the canary's rate is exactly the allowed 1.5× the baseline's.
        var outcome = Simulate(10_000, canaryRate: 0.015, baselineRate: 0.01, new ErrorRateSequentialOptions(), seed: 2);

        output.WriteLine(outcome.ToString());
        outcome.RejectRate.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_AACanaryWithNoMarginAndGrowingWeight_FalseRollbackRateAtMostAlpha()
    {
        // RollbackRatio 1 puts an A/A canary on the null's boundary; its traffic grows from 5% to 100% of the
        // baseline's, so the share of errors expected under the null changes every interval.
        var options = new ErrorRateSequentialOptions { RollbackRatio = 1, PromotionRatio = 1 };
        var random = new Random(3);
        var rejections = 0;
        for (var run = 0; run < 10_000; run++)
        {
            var test = new ErrorRateSequentialTest(options);
            for (var interval = 1; interval <= Intervals; interval++)
            {
                var canaryRequests = RequestsPerInterval * interval / Intervals;
                var decision = test.Update(
                    canaryRequests, SeededSampling.Binomial(random, canaryRequests, 0.01),
                    RequestsPerInterval, SeededSampling.Binomial(random, RequestsPerInterval, 0.01));
                if (decision.Verdict == SequentialVerdict.Reject)
                {
                    rejections++;
                    break;
                }
            }
        }

        output.WriteLine($"A/A at the boundary with growing weight: {rejections / 10_000.0:P2} rejected");
        (rejections / 10_000.0).Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_FiveTimesTheErrorRate_RejectedWithinFewIntervals()
    {
        var outcome = Simulate(1_000, canaryRate: 0.05, baselineRate: 0.01, new ErrorRateSequentialOptions(), seed: 4);

        output.WriteLine(outcome.ToString());
        outcome.RejectRate.Should().Be(1);
        outcome.MedianRejectInterval.Should().BeLessThanOrEqualTo(2);
        outcome.LatestRejectInterval.Should().BeLessThan(Intervals);
    }

    [Fact]
    public void Update_CanaryWithAFifthOfTheErrors_AcceptedEarly()
    {
        var outcome = Simulate(1_000, canaryRate: 0.002, baselineRate: 0.01, new ErrorRateSequentialOptions(), seed: 5);

        output.WriteLine(outcome.ToString());
        outcome.AcceptRate.Should().Be(1);
        outcome.MedianAcceptInterval.Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public void Update_CanaryExactlyAtPromotionRatio_FalsePromotionRateAtMostBeta()
    {
        var outcome = Simulate(10_000, canaryRate: 0.015, baselineRate: 0.01, new ErrorRateSequentialOptions(), seed: 6);

        output.WriteLine(outcome.ToString());
        outcome.AcceptRate.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Update_CanaryAtPromotionRatioWithSmallLooksAndGrowingWeight_FalsePromotionRateAtMostBeta()
    {
        // The equal-rates alternative carries half the promotion mixture's weight; its guarantee must hold at the null
        // boundary when the judge looks six times per interval while the canary's share of 2,000 requests grows.
        var random = new Random(11);
        var options = new ErrorRateSequentialOptions { RollbackRatio = 1.5, PromotionRatio = 1.5 };
        var accepted = 0;
        for (var run = 0; run < 10_000; run++)
        {
            var test = new ErrorRateSequentialTest(options);
            for (var look = 0; look < 6 * Intervals; look++)
            {
                var weight = Math.Min(0.05 * ((look / 6) + 1), 0.5);
                var canaryRequests = (int)(2000 / 6 * weight);
                var primaryRequests = (2000 / 6) - canaryRequests;
                var verdict = test.Update(
                    canaryRequests, SeededSampling.Binomial(random, canaryRequests, 0.015),
                    primaryRequests, SeededSampling.Binomial(random, primaryRequests, 0.01)).Verdict;
                if (verdict != SequentialVerdict.Continue)
                {
                    accepted += verdict == SequentialVerdict.Accept ? 1 : 0;
                    break;
                }
            }
        }

        output.WriteLine($"accepted {accepted / 10_000.0:P2}");
        (accepted / 10_000.0).Should().BeLessThanOrEqualTo(0.05);
    }

    private static Outcome Simulate(int runs, double canaryRate, double baselineRate, ErrorRateSequentialOptions options, int seed)
    {
        var random = new Random(seed);
        var rejectedAt = new List<int>();
        var acceptedAt = new List<int>();
        for (var run = 0; run < runs; run++)
        {
            var test = new ErrorRateSequentialTest(options);
            for (var interval = 1; interval <= Intervals; interval++)
            {
                var decision = test.Update(
                    RequestsPerInterval, SeededSampling.Binomial(random, RequestsPerInterval, canaryRate),
                    RequestsPerInterval, SeededSampling.Binomial(random, RequestsPerInterval, baselineRate));
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

        return new Outcome(canaryRate, baselineRate, runs, rejectedAt, acceptedAt);
    }

    private sealed record Outcome(double CanaryRate, double BaselineRate, int Runs, List<int> RejectedAt, List<int> AcceptedAt)
    {
        public double RejectRate => RejectedAt.Count / (double)Runs;

        public double AcceptRate => AcceptedAt.Count / (double)Runs;

        public int MedianRejectInterval => Median(RejectedAt);

        public int LatestRejectInterval => RejectedAt.Max();

        public int MedianAcceptInterval => Median(AcceptedAt);

        public override string ToString() =>
            $"canary {CanaryRate:P1} vs baseline {BaselineRate:P1}, {Runs} runs: rejected {RejectRate:P2} "
            + $"(median interval {(RejectedAt.Count > 0 ? Median(RejectedAt) : 0)}), accepted {AcceptRate:P2} "
            + $"(median interval {(AcceptedAt.Count > 0 ? Median(AcceptedAt) : 0)})";

        private static int Median(List<int> values) => values.Order().ElementAt(values.Count / 2);
    }
}
