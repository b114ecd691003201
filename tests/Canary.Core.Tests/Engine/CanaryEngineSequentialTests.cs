using System.Text.Json;
using Canary.Analysis;
using Canary.Events;
using Canary.Model;
using Canary.Statistics;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineSequentialTests
{
    private static readonly TrafficCounts Primary = new(1900, 10);

    private static CanaryResource Canary(JudgeSpec? judge = null, Func<AnalysisSpec, AnalysisSpec>? analysis = null) =>
        TestCanaries.Canary(a =>
        {
            var withJudge = a with { Metrics = [], Judge = judge ?? new JudgeSpec { LatencyQuantiles = [] } };
            return analysis is null ? withJudge : analysis(withJudge);
        });

    /// <summary>Answers the canary's counts only once it has traffic, as a real provider would.</summary>
    private static void Serve(EngineHarness harness, TrafficCounts canary, TrafficCounts comparison) =>
        harness.Samples.Answer = role => role == WorkloadRole.Canary
            ? harness.Status.CanaryWeight > 0 ? canary : TrafficCounts.Empty
            : comparison;

    [Fact]
    public async Task ReconcileAsync_SequentialTestRejects_RollsBackAtOnceWithTheEvidence()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 20), Primary);

        await harness.StartRolloutAsync();
        await harness.StepAsync();
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        status.FailedChecks.Should().Be(0);
        harness.AdvancedWeights.Should().Equal(5);
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.RollingBack).Which.Message.Should()
            .StartWith("Rolling back podinfo.test sequential test: canary error rate 20% vs 0.53% (e-value ")
            .And.EndWith(" ≥ 100)");
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_SequentialTestAccepts_PromotesWithoutTheRemainingSteps()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(5);
        harness.Events.Select(e => e.Message).Should().ContainInOrder(
            "Advance podinfo.test canary weight 5",
            "Sequential test accepts podinfo.test: canary error rate 0% vs 5% is within 1.5× (e-value 1.2E+17 ≥ 20)",
            "Copying podinfo.test template spec to podinfo-primary.test",
            "Promotion completed! Scaling down podinfo.test");
    }

    [Fact]
    public async Task ReconcileAsync_AcceptedButPromotionNotConfirmed_WaitsForPromotionApproval()
    {
        await using var harness = new EngineHarness(Canary(analysis: a => a with { Webhooks = [TestCanaries.Webhook("gate", WebhookType.ConfirmPromotion)] }));
        harness.Webhooks.SetOutcome("gate", passes: false);
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));

        await harness.StartRolloutAsync();
        for (var i = 0; i < 5; i++)
        {
            await harness.StepAsync();
        }

        harness.Status.Phase.Should().Be(CanaryPhase.WaitingPromotion);
        harness.AdvancedWeights.Should().Equal(5);
        harness.Events.Last(e => e.Type == CanaryEventType.Waiting).Message.Should().Be("Halt podinfo.test advancement waiting for promotion approval gate");
    }

    [Fact]
    public async Task ReconcileAsync_SequentialTestUndecided_AdvancesAsNormal()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 0), new TrafficCounts(1900, 0));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
        status.Sequential!.Verdict.Should().Be(SequentialVerdict.Continue);
    }

    [Fact]
    public async Task ReconcileAsync_UndecidedAtTheLastStepWithAcceptanceRequired_WaitsThere()
    {
        await using var harness = new EngineHarness(Canary(new JudgeSpec { LatencyQuantiles = [], RequireAcceptance = true }));
        Serve(harness, new TrafficCounts(100, 0), new TrafficCounts(1900, 0));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync(maxSteps: 30);

        status.Phase.Should().Be(CanaryPhase.WaitingPromotion);
        status.CanaryWeight.Should().Be(50);
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.Waiting).Which.Message.Should()
            .Be("Halt podinfo.test advancement waiting for the sequential test to accept the canary");
    }

    [Fact]
    public async Task ReconcileAsync_WaitingForAcceptanceThenAccepted_Promotes()
    {
        await using var harness = new EngineHarness(Canary(new JudgeSpec { LatencyQuantiles = [], RequireAcceptance = true }));
        Serve(harness, new TrafficCounts(100, 0), new TrafficCounts(1900, 0));
        await harness.StartRolloutAsync();
        await harness.RunToEndAsync(maxSteps: 15);

        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
    }

    [Fact]
    public async Task ReconcileAsync_AcceptedWithPromoteEarlyOff_AdvancesThroughEveryStep()
    {
        await using var harness = new EngineHarness(Canary(new JudgeSpec { LatencyQuantiles = [], PromoteEarly = false }));
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
    }

    [Fact]
    public async Task ReconcileAsync_AcceptedButAThresholdMetricFails_HoldsAndRollsBackAtTheThreshold()
    {
        await using var harness = new EngineHarness(Canary(analysis: a => a with { Metrics = [TestCanaries.SuccessRate] }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 90);
        Serve(harness, new TrafficCounts(1000, 0), new TrafficCounts(1000, 50));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Should().NotContain(e => e.Type == CanaryEventType.PromotionStarted);
        harness.Events.Single(e => e.Type == CanaryEventType.RollingBack).Message.Should().Be("Rolling back podinfo.test failed checks threshold reached 5");
    }

    [Fact]
    public async Task ReconcileAsync_NoTrafficSampleProvider_CountsAFailedCheck()
    {
        await using var harness = new EngineHarness(Canary(), configure: b => b.Services.RemoveAll<ITrafficSampleProvider>());

        await harness.StartRolloutAsync();
        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.AdvancedWeights.Should().BeEmpty();
        harness.Events.Last().Message.Should().Be(
            "Halt podinfo.test advancement sequential test: no traffic sample provider is registered (add one with AddTrafficSampleProvider)");
    }

    [Fact]
    public async Task ReconcileAsync_CountingFails_CountsAFailedCheckAndHolds()
    {
        await using var harness = new EngineHarness(Canary());
        harness.Samples.Failure = "prometheus is down";

        await harness.StartRolloutAsync();
        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.AdvancedWeights.Should().BeEmpty();
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement sequential test: counting requests failed: prometheus is down");
    }

    [Fact]
    public async Task ReconcileAsync_EvidenceRoundTripsThroughJsonBetweenSteps_RollsBackAtTheSameStep()
    {
        var uninterrupted = await StepsToRollbackAsync(restartEveryStep: false);

        var restarted = await StepsToRollbackAsync(restartEveryStep: true);

        uninterrupted.Should().BeGreaterThan(3, "one interval's evidence alone must not be enough, or the test would not show that evidence is kept");
        restarted.Should().Be(uninterrupted);
    }

    [Fact]
    public async Task ReconcileAsync_NewRevisionAfterRollback_StartsTheEvidenceOver()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 20), Primary);
        await harness.StartRolloutAsync();
        await harness.RunToEndAsync();
        harness.Status.Sequential.Should().NotBeNull();

        harness.Cluster.Deploy(harness.Canary.Id, "v3");
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Progressing);
        status.Sequential.Should().BeNull();
    }

    [Fact]
    public async Task ReconcileAsync_StepLaterThanTheInterval_CountsSinceTheLastJudgedStep()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 0), new TrafficCounts(1900, 0));
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        harness.Time.Advance(TimeSpan.FromMinutes(2));
        await harness.StepAsync();

        harness.Samples.Calls.Where(c => c.Role == WorkloadRole.Canary).Select(c => c.Window)
            .Should().Equal(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task ReconcileAsync_CanarySlowerThanAllowed_RollsBackOnLatency()
    {
        await using var harness = new EngineHarness(Canary(new JudgeSpec { LatencyQuantiles = [0.5] }));
        var primary = new TrafficCounts(1000, 0) { LatencyBuckets = Histogram(100, 600, 950, 1000) };
        var slowCanary = new TrafficCounts(200, 0) { LatencyBuckets = Histogram(0, 0, 0, 200) };
        Serve(harness, slowCanary, primary);

        await harness.StartRolloutAsync();
        await harness.StepAsync();
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Single(e => e.Type == CanaryEventType.RollingBack).Message.Should().StartWith(
            "Rolling back podinfo.test sequential test: canary p50 latency exceeds 1.2× the primary's (primary p50 20ms): 200/200 canary requests slow vs 400/1000 primary requests (e-value ");
    }

    /// <summary>A histogram with buckets at 10, 20, 40 and 80 ms holding the given cumulative counts, then +∞.</summary>
    private static LatencyBucket[] Histogram(long le10, long le20, long le40, long le80) =>
    [
        new(10, le10), new(20, le20), new(40, le40), new(80, le80), new(double.PositiveInfinity, le80),
    ];

    private static async Task<int> StepsToRollbackAsync(bool restartEveryStep)
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 3), Primary);
        await harness.StartRolloutAsync();
        var steps = 0;
        while (!harness.Status.IsFinished && steps < 30)
        {
            await harness.StepAsync();
            steps++;
            if (restartEveryStep)
            {
                var stored = (await harness.Store.GetAsync(harness.Canary.Id, CancellationToken.None))!;
                var restored = JsonSerializer.Deserialize<CanaryStatus>(JsonSerializer.Serialize(stored.Status))!;
                await harness.Store.SaveAsync(harness.Canary.Id, restored, stored.Version, CancellationToken.None);
            }
        }

        harness.Status.Phase.Should().Be(CanaryPhase.Failed);
        return steps;
    }

    [Fact]
    public async Task ReconcileAsync_LastStepWhileEvidenceLeansAgainstTheCanary_WaitsAtTheLastWeight()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 1), new TrafficCounts(1900, 5));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync(maxSteps: 13);

        status.Phase.Should().Be(CanaryPhase.WaitingPromotion);
        status.CanaryWeight.Should().Be(50);
        status.Sequential!.Verdict.Should().Be(SequentialVerdict.Continue);
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.Waiting).Which.Message.Should()
            .Be("Halt podinfo.test advancement waiting for the sequential test to decide: the evidence so far leans against the canary");
    }

    [Fact]
    public async Task ReconcileAsync_EvidenceLeaningAgainstPastTheProgressDeadline_PromotesOnSchedule()
    {
        var canary = TestCanaries.Canary(
            a => a with { Metrics = [], Judge = new JudgeSpec { LatencyQuantiles = [] } },
            spec => spec with { ProgressDeadline = TimeSpan.FromMinutes(2) });
        await using var harness = new EngineHarness(canary);
        Serve(harness, new TrafficCounts(100, 1), new TrafficCounts(1900, 5));

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync(maxSteps: 30);

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.Events.Should().Contain(e => e.Type == CanaryEventType.Waiting);
    }

    [Fact]
    public async Task ReconcileAsync_HealthyCanaryAtTheLastStep_IsNotHeld()
    {
        await using var harness = new EngineHarness(Canary());
        Serve(harness, new TrafficCounts(100, 0), Primary);

        await harness.StartRolloutAsync();
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.Events.Should().NotContain(e => e.Type == CanaryEventType.Waiting);
    }
}
