using Canary.Events;
using Canary.Gates;
using Canary.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineApprovalTests
{
    private static readonly Uri ApprovalUrl = new("approval://release-managers");

    private static EngineHarness Harness(WebhookType type, bool registerGate = true)
    {
        var hook = new WebhookSpec { Name = "release", Type = type, Url = ApprovalUrl };
        var harness = new EngineHarness(
            TestCanaries.Canary(a => a with { Webhooks = [hook] }),
            configure: registerGate ? builder => builder.AddInMemoryApprovalGate() : null);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        return harness;
    }

    private static async Task<EngineHarness> WaitingForPromotionAsync()
    {
        var harness = Harness(WebhookType.ConfirmPromotion);
        await harness.StartRolloutAsync();
        for (var i = 0; i < 12; i++)
        {
            await harness.StepAsync();
        }

        return harness;
    }

    [Fact]
    public async Task ReconcileAsync_PromotionNotYetApproved_WaitsForPromotionWithoutFailedCheck()
    {
        await using var harness = await WaitingForPromotionAsync();

        harness.Status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.WaitingPromotion && s.FailedChecks == 0 && s.CanaryWeight == 50);
        harness.Events.Last(e => e.Type == CanaryEventType.Waiting).Should().Match<CanaryEvent>(e => e.Message == "Halt podinfo.test advancement waiting for promotion approval release" && e.Severity == AlertSeverity.Warn);
        harness.Service<InMemoryApprovalGate>().Pending.Should().ContainSingle()
            .Which.Should().Be(new ApprovalRequest(harness.Canary.Id, ApprovalStage.Promotion, "v2", "release", ApprovalUrl));
    }

    [Fact]
    public async Task ReconcileAsync_PromotionApproved_Promotes()
    {
        await using var harness = await WaitingForPromotionAsync();

        harness.Service<InMemoryApprovalGate>().Approve(harness.Canary.Id, ApprovalStage.Promotion);
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.Cluster.Inspect(harness.Canary.Id).PrimaryRevision.Should().Be("v2");
    }

    [Fact]
    public async Task ReconcileAsync_PromotionRejected_RollsBackWithTheReason()
    {
        await using var harness = await WaitingForPromotionAsync();

        harness.Service<InMemoryApprovalGate>().Reject(harness.Canary.Id, "checkout conversion dropped");
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Failed && s.CanaryWeight == 0);
        harness.Cluster.Inspect(harness.Canary.Id).PrimaryRevision.Should().Be("v1");
        harness.Events.Should().Contain(e => e.Type == CanaryEventType.RollingBack
            && e.Message == "Rolling back podinfo.test promotion rejected by release: checkout conversion dropped");
    }

    [Fact]
    public async Task ReconcileAsync_RolloutNotYetApproved_WaitsWithoutScalingUp()
    {
        await using var harness = Harness(WebhookType.ConfirmRollout);

        await harness.StartRolloutAsync();
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Waiting && s.FailedChecks == 0);
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().Be(0);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement waiting for approval release");
    }

    [Fact]
    public async Task ReconcileAsync_RolloutApproved_StartsTheRun()
    {
        await using var harness = Harness(WebhookType.ConfirmRollout);
        await harness.StartRolloutAsync();

        harness.Service<InMemoryApprovalGate>().Approve(harness.Canary.Id);
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.LastAppliedSpec == "v2");
    }

    [Fact]
    public async Task ReconcileAsync_RolloutRejected_FailsAndDoesNotStartAgain()
    {
        await using var harness = Harness(WebhookType.ConfirmRollout);
        await harness.StartRolloutAsync();

        harness.Service<InMemoryApprovalGate>().Reject(harness.Canary.Id, "freeze week");
        await harness.StepAsync();
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Failed && s.LastAppliedSpec == "v2");
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().Be(0);
        harness.Events.Where(e => e.Type == CanaryEventType.RollingBack).Should().ContainSingle()
            .Which.Message.Should().Be("Rolling back podinfo.test rollout rejected by release: freeze week");
    }

    [Fact]
    public async Task ReconcileAsync_NoApprovalGateRegistered_WaitsAndSaysWhy()
    {
        await using var harness = Harness(WebhookType.ConfirmPromotion, registerGate: false);
        await harness.StartRolloutAsync();
        for (var i = 0; i < 12; i++)
        {
            await harness.StepAsync();
        }

        harness.Status.Phase.Should().Be(CanaryPhase.WaitingPromotion);
        harness.Events.Last(e => e.Type == CanaryEventType.Waiting).Message
            .Should().Be("Halt podinfo.test advancement waiting for promotion approval release (no approval gate is registered)");
    }

    [Fact]
    public async Task ReconcileAsync_ApprovalHook_IsNotPostedAsAWebhook()
    {
        await using var harness = await WaitingForPromotionAsync();

        harness.Webhooks.Calls.Should().NotContain(c => c.Webhook.Name == "release");
    }
}
