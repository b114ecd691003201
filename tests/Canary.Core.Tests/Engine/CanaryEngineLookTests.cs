using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Model;
using Canary.Statistics;
using Canary.Testing.Simulation;
using Canary.Workloads;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineLookTests
{
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(10);
    private static readonly TrafficCounts Primary = new(1900, 10);

    private static CanaryResource Canary(JudgeSpec? judge = null) =>
        TestCanaries.Canary(a => a with { Metrics = [], Judge = judge ?? new JudgeSpec { LatencyQuantiles = [], LookInterval = Look } });

    private static void Serve(EngineHarness harness, TrafficCounts canary, TrafficCounts comparison) =>
        harness.Samples.Answer = role => role == WorkloadRole.Canary
            ? harness.Status.CanaryWeight > 0 ? canary : TrafficCounts.Empty
            : comparison;

    private static async Task<CanaryLook> LookAsync(EngineHarness harness)
    {
        harness.Time.Advance(Look);
        return await harness.Engine.LookAsync(harness.Canary);
    }

    [Fact]
    public async Task LookAsync_RegressionBetweenSteps_RollsBackBeforeTheNextStep()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(100, 20), Primary);

        var look = await LookAsync(harness);

        look.Status.Phase.Should().Be(CanaryPhase.Failed);
        look.StepNow.Should().BeFalse();
        harness.AdvancedWeights.Should().Equal(5);
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.RollingBack).Which.Message.Should()
            .StartWith("Rolling back podinfo.test sequential test: canary error rate 20% vs 0.53%");
        harness.Samples.Calls.Should().Contain((WorkloadRole.Canary, Look));
    }

    [Fact]
    public async Task LookAsync_JudgeAccepts_AsksForAStepThatPromotes()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));

        var look = await LookAsync(harness);
        var status = await harness.Engine.ReconcileAsync(harness.Canary);

        look.StepNow.Should().BeTrue();
        look.Status.Phase.Should().Be(CanaryPhase.Progressing);
        look.Status.Sequential!.Verdict.Should().Be(SequentialVerdict.Accept);
        status.Phase.Should().Be(CanaryPhase.Promoting);
    }

    [Fact]
    public async Task LookAsync_AcceptedWithPromoteEarlyOff_DoesNotAskForAStep()
    {
        await using var harness = new EngineHarness(Canary(new JudgeSpec { LatencyQuantiles = [], LookInterval = Look, PromoteEarly = false }));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));

        var look = await LookAsync(harness);

        look.Status.Sequential!.Verdict.Should().Be(SequentialVerdict.Accept);
        look.StepNow.Should().BeFalse();
    }

    [Fact]
    public async Task ReconcileAsync_RightAfterALook_CountsNoRequestTwice()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(100, 0), Primary);
        await LookAsync(harness);
        var counted = harness.Samples.Calls.Count;

        var status = await harness.Engine.ReconcileAsync(harness.Canary);

        harness.Samples.Calls.Should().HaveCount(counted);
        status.Sequential!.CanaryRequests.Should().Be(100);
    }

    [Fact]
    public async Task ReconcileAsync_AfterALook_CountsFromTheLook()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(100, 0), Primary);
        await LookAsync(harness);

        await harness.StepAsync();

        harness.Samples.Calls.Select(c => c.Window).TakeLast(4).Should().Equal(Look, Look, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task LookAsync_BeforeTheFirstWeightStepWithTheCanaryReady_CountsNothingAndAsksForTheStep()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();

        var look = await LookAsync(harness);
        var countedByTheLook = harness.Samples.Calls.Count;
        var status = await harness.Engine.ReconcileAsync(harness.Canary);

        look.StepNow.Should().BeTrue();
        look.Status.Sequential.Should().BeNull();
        countedByTheLook.Should().Be(0);
        status.CanaryWeight.Should().Be(5);
    }

    [Fact]
    public async Task LookAsync_BeforeTheFirstWeightStepWithTheCanaryNotReady_WaitsForTheStep()
    {
        await using var harness = new EngineHarness(Canary(), new SimulatedClusterOptions { CanaryReadyDelay = TimeSpan.FromMinutes(5) });
        await harness.StartRolloutAsync();

        var look = await LookAsync(harness);

        look.StepNow.Should().BeFalse();
    }

    [Fact]
    public async Task LookAsync_FirstStepHeldPastTheFirstInterval_WaitsForTheNextStep()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with
        {
            Metrics = [],
            Judge = new JudgeSpec { LatencyQuantiles = [], LookInterval = Look },
            Webhooks = [TestCanaries.Webhook("gate", WebhookType.ConfirmTrafficIncrease)],
        }));
        harness.Webhooks.SetOutcome("gate", passes: false);
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        var look = await LookAsync(harness);

        look.Status.Step.Should().Be(0);
        look.StepNow.Should().BeFalse();
    }

    [Fact]
    public async Task LookAsync_NoSequentialJudge_LeavesTheCanaryAlone()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        var before = await harness.Store.GetAsync(harness.Canary.Id, CancellationToken.None);

        var look = await LookAsync(harness);

        look.StepNow.Should().BeFalse();
        look.Status.Should().Be(before!.Status);
        harness.Samples.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task LookAsync_LookIntervalZero_LeavesTheCanaryAlone()
    {
        await using var harness = new EngineHarness(Canary(new JudgeSpec { LatencyQuantiles = [], LookInterval = TimeSpan.Zero }));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(100, 20), Primary);

        var look = await LookAsync(harness);

        look.Status.Phase.Should().Be(CanaryPhase.Progressing);
        harness.Samples.Calls.Where(c => c.Window == Look).Should().BeEmpty();
    }

    [Fact]
    public async Task LookAsync_Paused_LeavesTheCanaryAlone()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        await harness.Commands.PauseAsync(harness.Canary.Id);
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(100, 20), Primary);

        var look = await LookAsync(harness);

        look.Status.Phase.Should().Be(CanaryPhase.Progressing);
        look.Status.Paused.Should().BeTrue();
    }

    [Fact]
    public async Task LookAsync_Promoting_AdvancesThroughThePromotionPhases()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));
        await LookAsync(harness);
        await harness.Engine.ReconcileAsync(harness.Canary);

        var first = await LookAsync(harness);
        var second = await LookAsync(harness);

        first.Status.Phase.Should().Be(CanaryPhase.Finalising);
        second.Status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task LookAsync_CountingFails_LeavesTheWindowToTheNextStep()
    {
        await using var harness = new EngineHarness(Canary());
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        Serve(harness, new TrafficCounts(100, 0), Primary);
        harness.Samples.Failure = "prometheus is down";

        var look = await LookAsync(harness);
        harness.Samples.Failure = null;
        await harness.StepAsync();

        look.Status.FailedChecks.Should().Be(0);
        harness.Samples.Calls[^1].Window.Should().Be(TimeSpan.FromMinutes(1) + Look);
    }
}
