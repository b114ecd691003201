using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineProgressionTests
{
    [Fact]
    public async Task ReconcileAsync_FirstStep_InitializesPrimaryWithoutAnalysis()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());

        var status = await harness.Engine.ReconcileAsync(harness.Canary);

        status.Phase.Should().Be(CanaryPhase.Initialized);
        status.LastPromotedSpec.Should().Be("v1");
        harness.Cluster.Inspect(harness.Canary.Id).PrimaryRevision.Should().Be("v1");
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.Initialized).Which.Message.Should().Be("Initialization done! podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_NewRevision_ScalesCanaryUpAndProgresses()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());

        var status = await harness.StartRolloutAsync();

        status.Phase.Should().Be(CanaryPhase.Progressing);
        status.CanaryWeight.Should().Be(0);
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().BeGreaterThan(0);
        harness.Events.Last().Message.Should().Be("New revision detected! Scaling up podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_HealthyCanary_AdvancesByStepWeightToMaxThenPromotes()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
        harness.Cluster.Inspect(harness.Canary.Id).Should().Match<Canary.Testing.Simulation.SimulatedWorkloads>(w =>
            w.PrimaryRevision == "v2" && w.CanaryReplicas == 0 && w.Routes.CanaryWeight == 0);
    }

    [Fact]
    public async Task ReconcileAsync_HealthyCanary_PassesThePhasesFlaggerUsersKnow()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();
        var phases = new List<CanaryPhase>();

        for (var i = 0; i < 20 && harness.Status.Phase != CanaryPhase.Succeeded; i++)
        {
            phases.Add((await harness.StepAsync()).Phase);
        }

        phases.Distinct().Should().Equal(CanaryPhase.Progressing, CanaryPhase.Promoting, CanaryPhase.Finalising, CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_PromotionCompleted_SaysSoWithFlaggersWords()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Events.Select(e => e.Message).Should().ContainInOrder(
            "Starting canary analysis for podinfo.test",
            "Advance podinfo.test canary weight 5",
            "Advance podinfo.test canary weight 50",
            "Copying podinfo.test template spec to podinfo-primary.test",
            "Routing all traffic to primary podinfo.test",
            "Promotion completed! Scaling down podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_StepWeights_AdvancesAlongTheLadder()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = null, MaxWeight = null, StepWeights = [1, 5, 20, 60] }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.AdvancedWeights.Should().Equal(1, 5, 20, 60);
        harness.Status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_MaxWeight100_RoutesAllTrafficToCanaryBeforePromotion()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = 25, MaxWeight = 100 }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.AdvancedWeights.Should().Equal(25, 50, 75, 100);
        harness.Status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_StepWeightPromotion_ShiftsTrafficBackToPrimaryInSteps()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeightPromotion = 20 }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Events.Where(e => e.Type == CanaryEventType.PrimaryWeightAdvanced).Select(e => e.Message)
            .Should().Equal("Advance podinfo.test primary weight 70", "Advance podinfo.test primary weight 90");
        harness.Status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_PrimaryNotReadyAfterCopy_WaitsBeforeRoutingTrafficBack()
    {
        var cluster = new Canary.Testing.Simulation.SimulatedClusterOptions { PrimaryReadyDelay = TimeSpan.FromMinutes(3) };
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = 50 }), cluster);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();

        while (harness.Status.Phase != CanaryPhase.Promoting)
        {
            await harness.StepAsync();
        }

        await harness.StepAsync();

        harness.Status.Phase.Should().Be(CanaryPhase.Promoting);
        harness.Cluster.Inspect(harness.Canary.Id).Routes.CanaryWeight.Should().Be(50);
        harness.Events.Last().Type.Should().Be(CanaryEventType.WorkloadNotReady);
    }

    [Fact]
    public async Task ReconcileAsync_Suspended_DoesNothing()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(spec: s => s with { Suspend = true }));

        var status = await harness.Engine.ReconcileAsync(harness.Canary);

        status.Phase.Should().Be(CanaryPhase.Initializing);
        harness.Cluster.Inspect(harness.Canary.Id).PrimaryRevision.Should().BeNull();
        harness.Events.Should().ContainSingle().Which.Message.Should().Be("skipping canary run as object is suspended");
    }

    [Fact]
    public async Task ReconcileAsync_SkipAnalysis_PromotesWithoutQueryingMetrics()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(spec: s => s with { SkipAnalysis = true }));
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);

        await harness.StartRolloutAsync();
        await harness.StepAsync();

        harness.Status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.Metrics.Queries.Should().Be(0);
        harness.Cluster.Inspect(harness.Canary.Id).PrimaryRevision.Should().Be("v2");
        harness.Events.Last().Message.Should().Be("Promotion completed! Canary analysis was skipped for podinfo.test");
    }
}
