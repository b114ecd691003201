using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Testing.Tests.Simulation;

/// <summary>The simulation paces the sequential judge's looks between steps as CanaryRunner does.</summary>
public class CanarySimulationLookTests
{
    private static readonly WorkloadBehavior Primary = new(0.005, TimeSpan.FromMilliseconds(50));

    private static CanaryResource Canary(JudgeSpec judge) => new(new CanaryId("podinfo", "test"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
        Provider = TrafficProviders.Nginx,
        Analysis = new AnalysisSpec { Interval = TimeSpan.FromMinutes(1), Threshold = 5, StepWeight = 5, MaxWeight = 50, Judge = judge },
    });

    private static Task<CanarySimulationResult> RunAsync(JudgeSpec judge, WorkloadBehavior canary) =>
        new CanarySimulation(Canary(judge), options: new CanarySimulationOptions
        {
            Primary = Primary,
            Canary = canary,
            Traffic = new SimulatedTrafficOptions { RequestsPerSecond = 200, Seed = 1, Retention = TimeSpan.FromMinutes(2) },
            MaxDuration = TimeSpan.FromHours(1),
        }).RunAsync();

    [Fact]
    public async Task RunAsync_ClearRegressionWithLooks_RollsBackWithinTheFirstWeightStep()
    {
        var result = await RunAsync(new JudgeSpec(), Primary with { ErrorRate = 0.2 });

        result.RolledBack.Should().BeTrue();
        result.Traffic.CanaryRequests.Should().BeLessThan(300);
    }

    [Fact]
    public async Task RunAsync_ClearRegressionWithoutLooks_RollsBackAtAStep()
    {
        var result = await RunAsync(new JudgeSpec { LookInterval = TimeSpan.Zero }, Primary with { ErrorRate = 0.2 });

        result.RolledBack.Should().BeTrue();
        result.Traffic.CanaryRequests.Should().BeGreaterThanOrEqualTo(500);
    }

    [Fact]
    public async Task RunAsync_AcceptedWithLooks_PromotesBetweenSteps()
    {
        var result = await RunAsync(new JudgeSpec(), Primary with { ErrorRate = 0.0005 });

        result.Promoted.Should().BeTrue();
        (result.Duration.Ticks % TimeSpan.FromMinutes(1).Ticks).Should().NotBe(0);
    }
}
