using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineStrategyTests
{
    private static readonly HttpMatch InsiderHeader = new()
    {
        Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new(StringMatchKind.Exact, "insider") },
    };

    [Fact]
    public async Task ReconcileAsync_ABTest_RunsItsIterationsWithMatchingTrafficThenPromotes()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = null, MaxWeight = null, Iterations = 3, Match = [InsiderHeader] }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Events.Where(e => e.Type == CanaryEventType.IterationAdvanced).Select(e => e.Message).Should().Equal(
            "Advance podinfo.test canary iteration 1/3",
            "Advance podinfo.test canary iteration 2/3",
            "Advance podinfo.test canary iteration 3/3");
        harness.AdvancedWeights.Should().BeEmpty();
        harness.Status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_ABTestIteration_RoutesMatchingTrafficToCanary()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = null, MaxWeight = null, Iterations = 3, Match = [InsiderHeader] }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();

        await harness.StepAsync();

        harness.Cluster.Inspect(harness.Canary.Id).Routes.CanaryWeight.Should().Be(100);
    }

    [Fact]
    public async Task ReconcileAsync_BlueGreen_AnalysesIterationsThenSwitchesAllTraffic()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = null, MaxWeight = null, Iterations = 2 }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Events.Select(e => e.Message).Should().ContainInOrder(
            "Advance podinfo.test canary iteration 1/2",
            "Advance podinfo.test canary iteration 2/2",
            "Routing all traffic to canary podinfo.test",
            "Copying podinfo.test template spec to podinfo-primary.test",
            "Routing all traffic to primary podinfo.test",
            "Promotion completed! Scaling down podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_BlueGreenIterations_SendNoUserTrafficToCanary()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = null, MaxWeight = null, Iterations = 3 }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();

        await harness.StepAsync();
        await harness.StepAsync();

        harness.Cluster.Inspect(harness.Canary.Id).Routes.CanaryWeight.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_BlueGreenWithKubernetesProvider_PromotesWithoutRoutingToCanary()
    {
        var canary = TestCanaries.Canary(a => a with { StepWeight = null, MaxWeight = null, Iterations = 2 }, s => s with { Provider = TrafficProviders.Kubernetes });
        await using var harness = new EngineHarness(canary);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Events.Should().NotContain(e => e.Message == "Routing all traffic to canary podinfo.test");
        harness.Status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_Mirror_MirrorsForOneStepBeforeTheFirstWeight()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { Mirror = true }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();

        await harness.StepAsync();
        var mirrored = harness.Cluster.Inspect(harness.Canary.Id).Routes;
        await harness.StepAsync();
        var weighted = harness.Cluster.Inspect(harness.Canary.Id).Routes;

        mirrored.Should().Be(new Canary.Routing.TrafficRoutes(100, 0, Mirrored: true));
        weighted.Should().Be(new Canary.Routing.TrafficRoutes(95, 5));
    }
}
