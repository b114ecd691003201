using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineFailureTests
{
    private static async Task<EngineHarness> AtWeightAsync(int steps, CanaryResource? canary = null)
    {
        var harness = new EngineHarness(canary ?? TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();
        for (var i = 0; i < steps; i++)
        {
            await harness.StepAsync();
        }

        return harness;
    }

    [Fact]
    public async Task ReconcileAsync_FailingMetric_HoldsWeightAndCountsOneFailedCheck()
    {
        await using var harness = await AtWeightAsync(2);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        status.CanaryWeight.Should().Be(10);
        harness.Events.Last().Should().Match<CanaryEvent>(e =>
            e.Type == CanaryEventType.CheckFailed && e.Metric == BuiltinMetrics.RequestSuccessRate && e.Value == 90
            && e.Message == "Halt podinfo.test advancement success rate 90% < 99%");
    }

    [Fact]
    public async Task ReconcileAsync_FailedChecks_AddUpAcrossPassingSteps()
    {
        await using var harness = await AtWeightAsync(1);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        await harness.StepAsync();
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StepAsync();
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(2);
    }

    [Fact]
    public async Task ReconcileAsync_ThresholdReached_RollsBackAtTheNextStep()
    {
        await using var harness = await AtWeightAsync(1);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        for (var i = 0; i < 5; i++)
        {
            await harness.StepAsync();
        }

        harness.Status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.FailedChecks == 5);

        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Cluster.Inspect(harness.Canary.Id).Should().Match<Canary.Testing.Simulation.SimulatedWorkloads>(w =>
            w.Routes.CanaryWeight == 0 && w.CanaryReplicas == 0 && w.PrimaryRevision == "v1");
        harness.Events.Select(e => e.Message).Should().ContainInOrder(
            "Rolling back podinfo.test failed checks threshold reached 5",
            "Canary failed! Scaling down podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_OneFailedCheckBelowThreshold_DoesNotRollBack()
    {
        await using var harness = await AtWeightAsync(1);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        for (var i = 0; i < 4; i++)
        {
            await harness.StepAsync();
        }

        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Progressing);
    }

    [Fact]
    public async Task ReconcileAsync_MetricWithNoData_CountsAsFailedCheck()
    {
        await using var harness = await AtWeightAsync(1);
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().StartWith("Halt advancement no values found for nginx metric request-success-rate probably podinfo.test is not receiving traffic");
    }

    [Fact]
    public async Task ReconcileAsync_ProviderThrows_CountsAsFailedCheck()
    {
        await using var harness = await AtWeightAsync(1);
        harness.Metrics.Throws(BuiltinMetrics.RequestSuccessRate, "connection refused");

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().Be("Metric query failed for request-success-rate: prometheus query failed: connection refused");
    }

    [Fact]
    public async Task ReconcileAsync_MetricNeverHasData_NeverPromotes()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);
        await harness.StartRolloutAsync();

        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Should().NotContain(e => e.Type == CanaryEventType.Promoted);
        harness.Status.LastPromotedSpec.Should().Be("v1");
    }

    [Fact]
    public async Task ReconcileAsync_ProviderAlwaysThrows_NeverPromotes()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Throws(BuiltinMetrics.RequestSuccessRate, "timeout");
        await harness.StartRolloutAsync();

        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.AdvancedWeights.Should().Equal(5);
    }

    [Fact]
    public async Task ReconcileAsync_TemplateMissing_CountsAsFailedCheck()
    {
        var check = new MetricCheck { Name = "error-rate", TemplateRef = new TemplateReference("error-rate"), ThresholdRange = new(Max: 1) };
        await using var harness = await AtWeightAsync(1, TestCanaries.Canary(a => a with { Metrics = [check] }));

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().Contain("MetricTemplate error-rate.test not found");
    }

    [Fact]
    public async Task ReconcileAsync_CanaryNeverReady_RollsBackAfterProgressDeadline()
    {
        var canary = TestCanaries.Canary(spec: s => s with { ProgressDeadline = TimeSpan.FromMinutes(5) });
        await using var harness = new EngineHarness(canary, new Canary.Testing.Simulation.SimulatedClusterOptions { CanaryNeverReady = true });
        await harness.StartRolloutAsync();
        var phases = new List<CanaryPhase>();

        for (var i = 0; i < 6; i++)
        {
            phases.Add((await harness.StepAsync()).FailedChecks == 0 ? harness.Status.Phase : CanaryPhase.Failed);
        }

        phases.Should().Equal(CanaryPhase.Progressing, CanaryPhase.Progressing, CanaryPhase.Progressing, CanaryPhase.Progressing, CanaryPhase.Progressing, CanaryPhase.Failed);
        harness.Status.FailedChecks.Should().Be(0);
        harness.Events.Should().Contain(e => e.Message.StartsWith("Rolling back podinfo.test progress deadline exceeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconcileAsync_CanaryNotReadyYet_WaitsWithoutFailedCheck()
    {
        var cluster = new Canary.Testing.Simulation.SimulatedClusterOptions { CanaryReadyDelay = TimeSpan.FromMinutes(2) };
        await using var harness = new EngineHarness(TestCanaries.Canary(), cluster);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.FailedChecks == 0 && s.CanaryWeight == 0);
        harness.Events.Last().Message.Should().StartWith("canary deployment podinfo.test not ready: waiting for rollout to finish");
    }
}
