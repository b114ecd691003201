using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Testing.Tests.Simulation;

/// <summary>Policy tests as a user writes them: a spec, a simulated world, and what must happen.</summary>
public class CanarySimulationTests
{
    private static CanaryResource Policy(int threshold = 2, TimeSpan? interval = null) => new(new CanaryId("checkout", "shop"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", "checkout"),
        Provider = TrafficProviders.Nginx,
        Analysis = new AnalysisSpec
        {
            Interval = interval ?? TimeSpan.FromSeconds(30),
            Threshold = threshold,
            StepWeight = 10,
            MaxWeight = 50,
            Metrics =
            [
                new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new(Min: 99), Interval = TimeSpan.FromSeconds(30) },
                new MetricCheck { Name = BuiltinMetrics.RequestDuration, ThresholdRange = new(Max: 500), Interval = TimeSpan.FromSeconds(30) },
            ],
        },
    });

    [Fact]
    public async Task RunAsync_ThreePercentErrorsOnCanary_RollsBackWithinTwoMinutes()
    {
        var options = new CanarySimulationOptions
        {
            Canary = new WorkloadBehavior(0.03, TimeSpan.FromMilliseconds(40)),
            Traffic = new SimulatedTrafficOptions { RequestsPerSecond = 200 },
        };

        var result = await new CanarySimulation(Policy(threshold: 1), options: options).RunAsync();

        result.RolledBack.Should().BeTrue();
        result.Duration.Should().BeLessThanOrEqualTo(TimeSpan.FromMinutes(2));
        result.MaxCanaryWeight.Should().Be(10);
    }

    [Fact]
    public async Task RunAsync_HealthyCanary_PromotesAfterEveryStep()
    {
        var result = await new CanarySimulation(Policy()).RunAsync();

        result.Promoted.Should().BeTrue();
        result.EventsOf(CanaryEventType.WeightAdvanced).Select(e => e.Weight).Should().Equal(10, 20, 30, 40, 50);
    }

    [Fact]
    public async Task RunAsync_SlowCanary_FailsTheDurationCheck()
    {
        var options = new CanarySimulationOptions { Canary = new WorkloadBehavior(0, TimeSpan.FromMilliseconds(800)) };

        var result = await new CanarySimulation(Policy(), options: options).RunAsync();

        result.RolledBack.Should().BeTrue();
        result.EventsOf(CanaryEventType.CheckFailed).Should().OnlyContain(e => e.Metric == BuiltinMetrics.RequestDuration);
    }

    [Fact]
    public async Task RunAsync_Traffic_SplitsByTheRoutedWeight()
    {
        var result = await new CanarySimulation(Policy(), options: new CanarySimulationOptions { Traffic = new SimulatedTrafficOptions { RequestsPerSecond = 1000 } }).RunAsync();

        // Steps at 10..50% for 30 s each, then one more 30 s at 50% while the primary is promoted: 10+20+30+40+50+50 = 200% of 30 s.
        var expectedCanary = 1000 * 30 * 2.0;
        result.Traffic.CanaryRequests.Should().BeInRange((long)(expectedCanary * 0.97), (long)(expectedCanary * 1.03));
    }

    [Fact]
    public async Task RunAsync_SameSeed_ReplaysExactly()
    {
        var options = new CanarySimulationOptions { Canary = new WorkloadBehavior(0.009, TimeSpan.FromMilliseconds(50)), Traffic = new SimulatedTrafficOptions { Seed = 42 } };

        var first = await new CanarySimulation(Policy(), options: options).RunAsync();
        var second = await new CanarySimulation(Policy(), options: options).RunAsync();

        second.Events.Select(e => e.Message).Should().Equal(first.Events.Select(e => e.Message));
    }

    [Fact]
    public async Task RunAsync_LowTrafficWithHoldPolicy_IsNotRolledBackForLackOfTraffic()
    {
        // 5 requests a second give the canary 15 per interval at 10%: too few to judge, so the check holds while
        // its two-minute window fills, instead of failing (threshold 1) as Flagger's no-data rule would make it.
        var hold = new NoDataPolicy(NoDataAction.Hold, MaxHoldIntervals: 10, MinRequests: 50);
        var canary = Policy(threshold: 1);
        canary = canary with
        {
            Spec = canary.Spec with
            {
                Analysis = canary.Spec.Analysis with
                {
                    Metrics = [.. canary.Spec.Analysis.Metrics.Select(m => m with { NoData = hold, Interval = TimeSpan.FromMinutes(2) })],
                },
            },
        };
        var options = new CanarySimulationOptions { Traffic = new SimulatedTrafficOptions { RequestsPerSecond = 5 } };

        var result = await new CanarySimulation(canary, options: options).RunAsync();

        result.Promoted.Should().BeTrue();
        result.EventsOf(CanaryEventType.CheckHeld).Should().NotBeEmpty();
    }
}
