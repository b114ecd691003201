using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineRevisionTests
{
    [Fact]
    public async Task ReconcileAsync_NewRevisionDuringAnalysis_RestartsFromZero()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        await harness.StartRolloutAsync();
        for (var i = 0; i < 3; i++)
        {
            await harness.StepAsync();
        }

        harness.Cluster.Deploy(harness.Canary.Id, "v3");
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.CanaryWeight == 0 && s.FailedChecks == 0 && s.LastAppliedSpec == "v3");
        harness.Cluster.Inspect(harness.Canary.Id).Routes.CanaryWeight.Should().Be(0);
        harness.Events.Last().Message.Should().Be("New revision detected! Restarting analysis for podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_TargetRevertedToPromotedRevision_StartsNoRun()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();
        harness.Status.Phase.Should().Be(CanaryPhase.Failed);

        harness.Cluster.Deploy(harness.Canary.Id, "v1");
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_FixedRevisionAfterFailure_StartsANewRun()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Cluster.Deploy(harness.Canary.Id, "v3");
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.FailedChecks == 0 && s.LastAppliedSpec == "v3");
    }

    [Fact]
    public async Task ReconcileAsync_FailedRevisionUnchanged_StaysFailed()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();
        var events = harness.Events.Count;

        await harness.StepAsync();
        await harness.StepAsync();

        harness.Status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Should().HaveCount(events);
    }
}
