using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Testing.Tests.Simulation;

/// <summary>
/// The direction of the detection benchmark (<c>Canary.Benchmarks detection</c>) on a few fixed seeds: the sequential
/// judge rolls a clearly bad canary back after fewer canary requests than Flagger's fixed thresholds, and promotes a
/// healthy canary sooner once traffic gives it enough evidence. The margins are several times the seed-to-seed spread.
/// </summary>
public class DetectionDirectionTests
{
    private static readonly WorkloadBehavior Primary = new(0.005, TimeSpan.FromMilliseconds(50));
    private static readonly int[] Seeds = [1, 2, 3, 4, 5];

    private static readonly AnalysisSpec Schedule = new() { Interval = TimeSpan.FromMinutes(1), Threshold = 5, StepWeight = 5, MaxWeight = 50 };

    private static readonly AnalysisSpec FixedThresholds = Schedule with
    {
        Metrics =
        [
            new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new(Min: 99) },
            new MetricCheck { Name = BuiltinMetrics.RequestDuration, ThresholdRange = new(Max: 120) },
        ],
    };

    private static readonly AnalysisSpec SequentialJudge = Schedule with { Judge = new JudgeSpec() };

    [Fact]
    public async Task RunAsync_TwentyPercentErrors_SequentialJudgeRollsBackAfterFewerCanaryRequests()
    {
        var bad = Primary with { ErrorRate = 0.2 };

        var fixedRuns = await RunAsync(FixedThresholds, bad, requestsPerSecond: 20);
        var sequentialRuns = await RunAsync(SequentialJudge, bad, requestsPerSecond: 20);

        fixedRuns.Should().OnlyContain(r => r.RolledBack);
        sequentialRuns.Should().OnlyContain(r => r.RolledBack);
        sequentialRuns.Max(r => r.Traffic.CanaryRequests).Should().BeLessThan(fixedRuns.Min(r => r.Traffic.CanaryRequests) / 2);
    }

    [Fact]
    public async Task RunAsync_HealthyCanaryWithEnoughTraffic_SequentialJudgePromotesSooner()
    {
        var fixedRuns = await RunAsync(FixedThresholds, Primary, requestsPerSecond: 500);
        var sequentialRuns = await RunAsync(SequentialJudge, Primary, requestsPerSecond: 500);

        fixedRuns.Should().OnlyContain(r => r.Promoted);
        sequentialRuns.Should().OnlyContain(r => r.Promoted);
        sequentialRuns.Max(r => r.Duration).Should().BeLessThan(fixedRuns.Min(r => r.Duration) - TimeSpan.FromMinutes(3));
    }

    private static async Task<CanarySimulationResult[]> RunAsync(AnalysisSpec analysis, WorkloadBehavior canary, double requestsPerSecond)
    {
        var resource = new CanaryResource(new CanaryId("podinfo", "test"), new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
            Provider = TrafficProviders.Nginx,
            Analysis = analysis,
        });
        var results = new List<CanarySimulationResult>();
        foreach (var seed in Seeds)
        {
            var options = new CanarySimulationOptions
            {
                Primary = Primary,
                Canary = canary,
                Traffic = new SimulatedTrafficOptions { RequestsPerSecond = requestsPerSecond, Seed = seed, Retention = TimeSpan.FromMinutes(2) },
                MaxDuration = TimeSpan.FromHours(1),
            };
            results.Add(await new CanarySimulation(resource, options: options).RunAsync());
        }

        return [.. results];
    }
}
