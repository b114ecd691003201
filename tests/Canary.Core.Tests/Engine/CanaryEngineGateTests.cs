using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineGateTests
{
    private static EngineHarness Harness(params WebhookSpec[] webhooks)
    {
        var harness = new EngineHarness(TestCanaries.Canary(a => a with { Webhooks = webhooks }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        return harness;
    }

    [Fact]
    public async Task ReconcileAsync_ConfirmRolloutClosed_WaitsWithoutScalingUp()
    {
        await using var harness = Harness(TestCanaries.Webhook("gate", WebhookType.ConfirmRollout));
        harness.Webhooks.SetOutcome("gate", passes: false);

        var status = await harness.StartRolloutAsync();
        await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Waiting);
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().Be(0);
        harness.Events.Where(e => e.Type == CanaryEventType.Waiting).Should().ContainSingle()
            .Which.Message.Should().Be("Halt podinfo.test advancement waiting for approval gate");
    }

    [Fact]
    public async Task ReconcileAsync_ConfirmRolloutOpened_StartsTheRun()
    {
        await using var harness = Harness(TestCanaries.Webhook("gate", WebhookType.ConfirmRollout));
        harness.Webhooks.SetOutcome("gate", passes: false);
        await harness.StartRolloutAsync();

        harness.Webhooks.SetOutcome("gate", passes: true);
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Progressing);
        status.FailedChecks.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_PreRolloutFails_CountsFailedCheckAndSendsNoTraffic()
    {
        await using var harness = Harness(TestCanaries.Webhook("acceptance", WebhookType.PreRollout));
        harness.Webhooks.SetOutcome("acceptance", passes: false);
        await harness.StartRolloutAsync();

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        status.CanaryWeight.Should().Be(0);
        harness.Events.Last().Should().Match<CanaryEvent>(e => e.Type == CanaryEventType.CheckFailed && e.Webhook == "acceptance");
    }

    [Fact]
    public async Task ReconcileAsync_RolloutHookFails_CountsFailedCheck()
    {
        await using var harness = Harness(TestCanaries.Webhook("load", WebhookType.Rollout));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        harness.Webhooks.SetOutcome("load", passes: false);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement external check load failed simulated failure");
    }

    [Fact]
    public async Task ReconcileAsync_ConfirmTrafficIncreaseClosed_HoldsWeightWithoutFailedCheck()
    {
        await using var harness = Harness(TestCanaries.Webhook("more", WebhookType.ConfirmTrafficIncrease));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        harness.Webhooks.SetOutcome("more", passes: false);

        await harness.StepAsync();
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.CanaryWeight == 5 && s.FailedChecks == 0 && s.Phase == CanaryPhase.Progressing);
    }

    [Fact]
    public async Task ReconcileAsync_ConfirmPromotionClosed_WaitsForPromotionWhileAnalysing()
    {
        await using var harness = Harness(TestCanaries.Webhook("approve", WebhookType.ConfirmPromotion));
        harness.Webhooks.SetOutcome("approve", passes: false);
        await harness.StartRolloutAsync();
        for (var i = 0; i < 12; i++)
        {
            await harness.StepAsync();
        }

        harness.Status.Phase.Should().Be(CanaryPhase.WaitingPromotion);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 50);
        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        status.CanaryWeight.Should().Be(50);
    }

    [Fact]
    public async Task ReconcileAsync_ConfirmPromotionOpened_Promotes()
    {
        await using var harness = Harness(TestCanaries.Webhook("approve", WebhookType.ConfirmPromotion));
        harness.Webhooks.SetOutcome("approve", passes: false);
        await harness.StartRolloutAsync();
        for (var i = 0; i < 12; i++)
        {
            await harness.StepAsync();
        }

        harness.Webhooks.SetOutcome("approve", passes: true);
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ReconcileAsync_RollbackHookAnswersSuccess_RollsBack()
    {
        await using var harness = Harness(TestCanaries.Webhook("rollback", WebhookType.Rollback));
        harness.Webhooks.SetOutcome("rollback", passes: false);
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        harness.Webhooks.SetOutcome("rollback", passes: true);

        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Should().Contain(e => e.Message == "Rolling back podinfo.test manual webhook rollback invoked");
    }

    [Fact]
    public async Task ReconcileAsync_RunEnds_CallsPostRolloutHooksWithFinalPhase()
    {
        await using var harness = Harness(TestCanaries.Webhook("notify", WebhookType.PostRollout));

        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();

        harness.Webhooks.Calls.Where(c => c.Webhook.Name == "notify").Should().ContainSingle()
            .Which.Payload.Should().Match<Canary.Gates.WebhookPayload>(p => p.Phase == CanaryPhase.Succeeded && p.Checksum == "v2" && p.Name == "podinfo" && p.Namespace == "test");
    }

    [Fact]
    public async Task ReconcileAsync_EventHook_ReceivesEveryEventWithItsMessage()
    {
        await using var harness = Harness(TestCanaries.Webhook("events", WebhookType.Event));

        await harness.StartRolloutAsync();

        harness.Webhooks.Calls.Where(c => c.Webhook.Name == "events").Select(c => c.Payload.Metadata["eventMessage"])
            .Should().Equal("Initialization done! podinfo.test", "New revision detected! Scaling up podinfo.test");
    }
}
