using Canary.Model;
using Canary.Routing;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineCrashTests
{
    public static TheoryData<bool, bool> Scenarios => new()
    {
        { true, false },
        { true, true },
        { false, false },
        { false, true },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ReconcileAsync_CrashAtAnyAction_EndsInTheSameState(bool healthy, bool afterEffect)
    {
        var reference = await RunAsync(healthy, new CrashInjector(0, afterEffect));
        var actions = reference.Actions;
        actions.Should().BeGreaterThan(10);

        for (var crashAt = 1; crashAt <= actions; crashAt++)
        {
            var crashed = await RunAsync(healthy, new CrashInjector(crashAt, afterEffect));

            crashed.Outcome.Should().Be(reference.Outcome, $"a crash {(afterEffect ? "after" : "before")} action {crashAt} of {actions} must not change the outcome");
        }
    }

    private static async Task<(Outcome Outcome, int Actions)> RunAsync(bool healthy, CrashInjector crashes)
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(), crashes: crashes);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, healthy ? 100 : 50);
        await harness.StepAsync();
        harness.Cluster.Deploy(harness.Canary.Id, "v2");
        var status = await harness.RunToEndAsync();
        var workloads = harness.Cluster.Inspect(harness.Canary.Id);
        var weights = harness.AdvancedWeights.Distinct().ToList();
        return (new Outcome(status.Phase, status.LastPromotedSpec, status.CanaryWeight, workloads.PrimaryRevision, workloads.CanaryReplicas, workloads.Routes, string.Join(",", weights)), crashes.Actions);
    }

    private sealed record Outcome(CanaryPhase Phase, string? Promoted, int Weight, string? Primary, int CanaryReplicas, TrafficRoutes Routes, string Weights);
}
