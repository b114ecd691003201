using Canary.Analysis;
using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineBaselineTests
{
    private static CanaryResource Canary() =>
        TestCanaries.Canary(a => a with { Metrics = [], Baseline = true, Judge = new JudgeSpec { LatencyQuantiles = [] } });

    private static void Serve(EngineHarness harness, TrafficCounts canary) =>
        harness.Samples.Answer = role => role switch
        {
            WorkloadRole.Canary when harness.Status.CanaryWeight > 0 => canary,
            WorkloadRole.Baseline when harness.Status.CanaryWeight > 0 => new TrafficCounts(100, 1),
            WorkloadRole.Primary => new TrafficCounts(1800, 9),
            _ => TrafficCounts.Empty,
        };

    [Fact]
    public async Task ReconcileAsync_NewRevisionWithBaseline_StartsBaselineOnThePrimaryRevision()
    {
        await using var harness = new EngineHarness(Canary());

        await harness.StartRolloutAsync();

        var workloads = harness.Cluster.Inspect(harness.Canary.Id);
        workloads.BaselineReplicas.Should().BeGreaterThan(0);
        workloads.BaselineRevision.Should().Be("v1");
        workloads.TargetRevision.Should().Be("v2");
    }

    [Fact]
    public async Task ReconcileAsync_WithBaseline_JudgeComparesTheCanaryWithTheBaseline()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 1));

        await harness.StartRolloutAsync();
        await harness.StepAsync();
        await harness.StepAsync();

        harness.Samples.Calls.Select(c => c.Role).Distinct().Should().BeEquivalentTo([WorkloadRole.Canary, WorkloadRole.Baseline]);
        harness.Status.Sequential!.ComparisonRequests.Should().Be(100);
    }

    [Fact]
    public async Task ReconcileAsync_PromotedWithBaseline_RemovesTheBaseline()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 1));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        var workloads = harness.Cluster.Inspect(harness.Canary.Id);
        workloads.BaselineReplicas.Should().Be(0);
        workloads.BaselineRevision.Should().BeNull();
    }

    [Fact]
    public async Task ReconcileAsync_RolledBackWithBaseline_RemovesTheBaseline()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 30));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Single(e => e.Type == CanaryEventType.RollingBack).Message.Should().StartWith(
            "Rolling back podinfo.test sequential test: canary error rate 30% vs 1% (e-value ");
        harness.Cluster.Inspect(harness.Canary.Id).BaselineReplicas.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_BaselineNotReady_WaitsWithoutAnalysing()
    {
        await using var harness = new EngineHarness(Canary(), new SimulatedClusterOptions { BaselineReadyDelay = TimeSpan.FromMinutes(3) });

        await harness.StartRolloutAsync();
        var status = await harness.StepAsync();

        status.NotReadySince.Should().NotBeNull();
        harness.AdvancedWeights.Should().BeEmpty();
        harness.Events.Last().Message.Should().Be(
            "baseline deployment podinfo-baseline.test not ready: waiting for rollout to finish: 0 of 2 updated replicas are available");
    }

    [Fact]
    public async Task ReconcileAsync_BaselineWithoutController_ComparesWithThePrimary()
    {
        await using var harness = new EngineHarness(Canary(), configure: b => b.Services.RemoveAll<IBaselineController>());
        Serve(harness, new TrafficCounts(100, 1));

        await harness.StartRolloutAsync();
        await harness.StepAsync();

        harness.Samples.Calls.Select(c => c.Role).Distinct().Should().BeEquivalentTo([WorkloadRole.Canary, WorkloadRole.Primary]);
        harness.Cluster.Inspect(harness.Canary.Id).BaselineReplicas.Should().Be(0);
    }
}
