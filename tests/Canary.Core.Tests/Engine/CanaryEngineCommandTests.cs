using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineCommandTests
{
    private static async Task<EngineHarness> ProgressingAsync(double successRate = 100)
    {
        var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, successRate);
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        await harness.StepAsync();
        return harness;
    }

    [Fact]
    public async Task Promote_DuringAnalysis_SkipsRemainingStepsAndPromotes()
    {
        await using var harness = await ProgressingAsync();

        await harness.Commands.PromoteAsync(harness.Canary.Id, "looks good to me");
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Promoting);
        harness.Cluster.Inspect(harness.Canary.Id).PrimaryRevision.Should().Be("v2");
        harness.Events.Should().Contain(e => e.Type == CanaryEventType.CommandApplied && e.Message == "Promotion requested for podinfo.test: looks good to me");
        (await harness.RunToEndAsync()).Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task Abort_DuringAnalysis_RollsBack()
    {
        await using var harness = await ProgressingAsync();

        await harness.Commands.AbortAsync(harness.Canary.Id, "bad deploy");
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Cluster.Inspect(harness.Canary.Id).Routes.CanaryWeight.Should().Be(0);
        harness.Events.Should().Contain(e => e.Message == "Rolling back podinfo.test aborted by host: bad deploy");
    }

    [Fact]
    public async Task Retry_FailedRevision_RunsItAgainWithoutSpecChange()
    {
        await using var harness = await ProgressingAsync(successRate: 50);
        await harness.RunToEndAsync();
        harness.Status.Phase.Should().Be(CanaryPhase.Failed);

        await harness.Commands.RetryAsync(harness.Canary.Id);
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.FailedChecks == 0 && s.LastAppliedSpec == "v2");
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Pause_DuringAnalysis_HoldsEverythingUntilResumed()
    {
        await using var harness = await ProgressingAsync(successRate: 50);
        await harness.Commands.PauseAsync(harness.Canary.Id);
        await harness.StepAsync();
        var paused = harness.Status;

        for (var i = 0; i < 10; i++)
        {
            await harness.StepAsync();
        }

        harness.Status.Should().Match<CanaryStatus>(s => s.Paused && s.FailedChecks == paused.FailedChecks && s.CanaryWeight == paused.CanaryWeight);
    }

    [Fact]
    public async Task Resume_PausedRollout_Continues()
    {
        await using var harness = await ProgressingAsync();
        await harness.Commands.PauseAsync(harness.Canary.Id);
        await harness.StepAsync();
        var weight = harness.Status.CanaryWeight;

        await harness.Commands.ResumeAsync(harness.Canary.Id);
        var status = await harness.StepAsync();

        status.Paused.Should().BeFalse();
        status.CanaryWeight.Should().Be(weight + 5);
    }

    [Fact]
    public async Task Promote_WhenIdle_IsIgnoredWithAnEvent()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        await harness.Engine.ReconcileAsync(harness.Canary);

        await harness.Commands.PromoteAsync(harness.Canary.Id);
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Initialized);
        status.PendingCommand.Should().BeNull();
        harness.Events.Last().Should().Match<CanaryEvent>(e => e.Type == CanaryEventType.CommandIgnored && e.Message == "Promote ignored for podinfo.test: not applicable in phase Initialized");
    }

    [Fact]
    public async Task SendAsync_UnknownCanary_Throws()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());

        var send = async () => await harness.Commands.PromoteAsync(new CanaryId("nope", "test"));

        await send.Should().ThrowAsync<InvalidOperationException>().WithMessage("*nope.test has no status yet*");
    }
}
