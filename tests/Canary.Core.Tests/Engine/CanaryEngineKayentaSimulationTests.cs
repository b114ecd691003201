using Canary.Engine;
using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Core.Tests.Engine;

/// <summary>The Kayenta judge on the seeded simulation: real request-level noise, looks paced as CanaryRunner paces them.</summary>
public sealed class CanaryEngineKayentaSimulationTests
{
    private static readonly WorkloadBehavior Primary = new(0.005, TimeSpan.FromMilliseconds(50));

    private static CanaryResource Canary() => new(new CanaryId("podinfo", "test"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
        Provider = TrafficProviders.Nginx,
        Analysis = new AnalysisSpec
        {
            Interval = TimeSpan.FromMinutes(1),
            Threshold = 3,
            StepWeight = 10,
            MaxWeight = 50,
            Judge = new JudgeSpec { Type = JudgeType.Kayenta },
        },
    });

    private static Task<CanarySimulationResult> RunAsync(WorkloadBehavior canary, int seed = 1, double requestsPerSecond = 100) =>
        new CanarySimulation(Canary(), options: new CanarySimulationOptions
        {
            Primary = Primary,
            Canary = canary,
            Traffic = new SimulatedTrafficOptions { RequestsPerSecond = requestsPerSecond, Seed = seed, Retention = TimeSpan.FromMinutes(5) },
            MaxDuration = TimeSpan.FromHours(1),
        }).RunAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RunAsync_HealthyCanary_IsPromotedWithEveryIntervalJudged(int seed)
    {
        var result = await RunAsync(Primary, seed);

        result.Promoted.Should().BeTrue();
        result.Events.Where(e => e.Metric == CanaryEngine.KayentaScoreMetric).Should().HaveCount(5);
    }

    [Fact]
    public async Task RunAsync_TwentyPercentErrors_FailsEveryIntervalAndRollsBackAtTheThreshold()
    {
        var result = await RunAsync(Primary with { ErrorRate = 0.2 });

        result.RolledBack.Should().BeTrue();
        result.MaxCanaryWeight.Should().Be(10);
        result.EventsOf(CanaryEventType.CheckFailed).Should().HaveCount(3)
            .And.OnlyContain(e => e.Metric == CanaryEngine.KayentaScoreMetric && e.Message.Contains("error-rate High"));
    }

    [Fact]
    public async Task RunAsync_DoubleLatency_RollsBackOnTheLatencyQuantiles()
    {
        var result = await RunAsync(Primary with { Latency = TimeSpan.FromMilliseconds(100) });

        result.RolledBack.Should().BeTrue();
        result.EventsOf(CanaryEventType.CheckFailed).Should().HaveCount(3)
            .And.OnlyContain(e => e.Message.Contains("latency-p50 High") && e.Message.Contains("latency-p99 High"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RunAsync_HealthyCanaryAtTenRequestsPerSecond_IsPromotedAfterHoldingForFullerWindows(int seed)
    {
        var result = await RunAsync(Primary, seed, requestsPerSecond: 10);

        result.Promoted.Should().BeTrue();
        result.EventsOf(CanaryEventType.CheckHeld).Should().NotBeEmpty("at 10% of 10 requests per second an interval closes about three slices");
        result.Events.Where(e => e.Metric == CanaryEngine.KayentaScoreMetric).Should().OnlyContain(e => !e.Message.Contains("NoData"));
    }

    [Fact]
    public async Task RunAsync_TwentyPercentErrorsAtTenRequestsPerSecond_RollsBack()
    {
        var result = await RunAsync(Primary with { ErrorRate = 0.2 }, requestsPerSecond: 10);

        result.RolledBack.Should().BeTrue();
        result.MaxCanaryWeight.Should().Be(10);
        result.EventsOf(CanaryEventType.CheckFailed).Should().HaveCount(3)
            .And.OnlyContain(e => e.Metric == CanaryEngine.KayentaScoreMetric && e.Message.Contains("error-rate High"));
    }
}
