using System.Text.Json;
using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Model;
using Canary.Statistics;
using Canary.Workloads;

namespace Canary.Core.Tests.Engine;

public sealed class CanaryEngineKayentaTests
{
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(10);

    /// <summary>Four metrics, so that one High metric alone scores 75: marginal under the default thresholds.</summary>
    private static readonly KayentaMetricSpec[] FourMetrics =
        [new() { Name = "error-rate" }, new() { Name = "latency-p50" }, new() { Name = "latency-p90" }, new() { Name = "latency-p99" }];

    private static JudgeSpec Kayenta(Func<JudgeSpec, JudgeSpec>? change = null)
    {
        var judge = new JudgeSpec { Type = JudgeType.Kayenta, LookInterval = Look };
        return change is null ? judge : change(judge);
    }

    private static CanaryResource Canary(JudgeSpec judge, int threshold = 2) =>
        TestCanaries.Canary(a => a with { Metrics = [], Threshold = threshold, Judge = judge });

    /// <summary>200 requests with 0–2 errors and latencies mostly 10–20 ms, varying from call to call.</summary>
    private static TrafficCounts Healthy(int call) => new(200, call % 3) { LatencyBuckets = Fast(call) };

    /// <summary>As <see cref="Healthy"/>, but a fifth of the requests fail.</summary>
    private static TrafficCounts Erroring(int call) => new(200, 40 + (call % 3)) { LatencyBuckets = Fast(call) };

    /// <summary>As <see cref="Healthy"/>, but most requests take 20–80 ms.</summary>
    private static TrafficCounts Slow(int call) => new(200, call % 3)
    {
        LatencyBuckets = [new(10, 0), new(20, 10 + (call % 5)), new(40, 60 + (call % 7)), new(80, 180), new(double.PositiveInfinity, 200)],
    };

    private static LatencyBucket[] Fast(int call) =>
        [new(10, 40 + (call % 5)), new(20, 120 + (call % 7)), new(40, 190), new(80, 200), new(double.PositiveInfinity, 200)];

    /// <summary>Answers a fresh sample at every call; the canary serves nothing until it has weight, as a real provider would.</summary>
    private static void Serve(EngineHarness harness, Func<int, TrafficCounts> canary, Func<int, TrafficCounts>? comparison = null)
    {
        var calls = 0;
        harness.Samples.Answer = role => role == WorkloadRole.Canary
            ? harness.Status.CanaryWeight > 0 ? canary(calls++) : TrafficCounts.Empty
            : (comparison ?? Healthy)(calls++);
    }

    /// <summary>
    /// Answers counts proportional to the window asked for, as a real provider counts requests since the last slice:
    /// the given requests per second, no errors, all within 10–20 ms.
    /// </summary>
    private static void ServeAtRates(EngineHarness harness, double canaryPerSecond, double comparisonPerSecond) =>
        harness.Samples.Answer = role =>
        {
            var seconds = harness.Samples.Calls[^1].Window.TotalSeconds;
            var requests = (long)((role == WorkloadRole.Canary ? canaryPerSecond : comparisonPerSecond) * seconds);
            return new TrafficCounts(requests, 0) { LatencyBuckets = [new(10, requests / 4), new(20, requests), new(double.PositiveInfinity, requests)] };
        };

    /// <summary>Five looks, one every ten seconds, then the step: six slices per analysis interval.</summary>
    private static async Task<CanaryStatus> IntervalAsync(EngineHarness harness)
    {
        for (var i = 0; i < 5; i++)
        {
            harness.Time.Advance(Look);
            await harness.Engine.LookAsync(harness.Canary);
        }

        return await harness.StepAsync();
    }

    private static async Task<CanaryStatus> RunToEndAsync(EngineHarness harness, int maxIntervals = 30)
    {
        for (var i = 0; i < maxIntervals && !harness.Status.IsFinished; i++)
        {
            await IntervalAsync(harness);
        }

        return harness.Status;
    }

    private static IEnumerable<CanaryEvent> Judgements(EngineHarness harness) =>
        harness.Events.Where(e => e.Metric == CanaryEngine.KayentaScoreMetric);

    [Fact]
    public async Task ReconcileAsync_HealthyCanary_PassesEveryIntervalAndIsPromoted()
    {
        await using var harness = new EngineHarness(Canary(Kayenta()));
        Serve(harness, Healthy);

        await harness.StartRolloutAsync();
        var status = await RunToEndAsync(harness);

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
        Judgements(harness).Should().HaveCount(10).And.OnlyContain(e => e.Type == CanaryEventType.CheckPassed && e.Value >= 95);
        Judgements(harness).First().Message.Should().StartWith("Kayenta judge passes podinfo.test: score 100 (Pass; pass 95, marginal 75) over 6 slices vs the primary: error-rate Pass");
        status.FailedChecks.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_HigherErrorRate_FailsAndRollsBackAfterThresholdFailedChecks()
    {
        await using var harness = new EngineHarness(Canary(Kayenta(), threshold: 2));
        Serve(harness, Erroring);

        await harness.StartRolloutAsync();
        var status = await RunToEndAsync(harness);

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.AdvancedWeights.Should().Equal(5);
        var failed = harness.Events.Where(e => e.Type == CanaryEventType.CheckFailed).ToList();
        failed.Should().HaveCount(2).And.OnlyContain(e => e.Metric == CanaryEngine.KayentaScoreMetric && e.Value == 66.67);
        failed[0].Message.Should().StartWith(
            "Halt podinfo.test advancement Kayenta judge: score 66.67 (Fail; pass 95, marginal 75) over 6 slices vs the primary: error-rate High ×");
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.RollingBack).Which.Message.Should()
            .Be("Rolling back podinfo.test failed checks threshold reached 2");
    }

    [Fact]
    public async Task ReconcileAsync_HigherLatency_ClassifiesTheQuantilesHighAndFails()
    {
        await using var harness = new EngineHarness(Canary(Kayenta(), threshold: 1));
        Serve(harness, Slow);

        await harness.StartRolloutAsync();
        var status = await RunToEndAsync(harness);

        status.Phase.Should().Be(CanaryPhase.Failed);
        var failed = harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.CheckFailed).Subject;
        failed.Message.Should().Contain("error-rate Pass").And.Contain("latency-p50 High ×").And.Contain("latency-p99 High ×");
        failed.Value.Should().Be(33.33);
    }

    [Fact]
    public async Task ReconcileAsync_MarginalScore_CountsAsAFailedCheck()
    {
        await using var harness = new EngineHarness(Canary(Kayenta(j => j with { Metrics = FourMetrics }), threshold: 5));
        Serve(harness, Erroring);

        await harness.StartRolloutAsync();
        await harness.StepAsync();
        var status = await IntervalAsync(harness);

        status.FailedChecks.Should().Be(1);
        status.CanaryWeight.Should().Be(5, "a failed check holds the weight");
        harness.Events.Last().Should().Match<CanaryEvent>(e => e.Type == CanaryEventType.CheckFailed && e.Value == 75);
        harness.Events.Last().Message.Should().StartWith("Halt podinfo.test advancement Kayenta judge: score 75 (Marginal; pass 95, marginal 75)");
        status.Kayenta!.LastVerdict.Should().Be(JudgeVerdict.Marginal);
    }

    [Fact]
    public async Task ReconcileAsync_MarginalScoreWithOnMarginalPause_PausesWithoutAFailedCheck()
    {
        await using var harness = new EngineHarness(Canary(Kayenta(j => j with { Metrics = FourMetrics, OnMarginal = MarginalAction.Pause })));
        Serve(harness, Erroring);

        await harness.StartRolloutAsync();
        await harness.StepAsync();
        await IntervalAsync(harness);
        var status = await IntervalAsync(harness);

        status.Paused.Should().BeTrue();
        status.FailedChecks.Should().Be(0);
        status.CanaryWeight.Should().Be(5);
        var held = harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.CheckHeld).Subject;
        held.Message.Should().StartWith("Paused podinfo.test: Kayenta judge is marginal, score 75 (Marginal;").And.EndWith("; resume, promote or abort it");
    }

    [Fact]
    public async Task ReconcileAsync_CanaryWithoutData_HoldsForMaxHoldIntervalsThenFailsUntilRollback()
    {
        await using var harness = new EngineHarness(Canary(Kayenta(j => j with { MaxHoldIntervals = 2 }), threshold: 2));
        ServeAtRates(harness, canaryPerSecond: 0, comparisonPerSecond: 20);

        await harness.StartRolloutAsync();
        await harness.StepAsync();
        var status = await RunToEndAsync(harness);

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.AdvancedWeights.Should().Equal(5);
        harness.Events.Where(e => e.Type is CanaryEventType.CheckHeld or CanaryEventType.CheckFailed).Select(e => e.Message).Should().Equal(
            "Holding podinfo.test advancement: Kayenta judge has 0 of the 5 slices it needs (1/2 intervals); the open slice has 0 canary and 2200 primary requests of the 20 each it needs to close",
            "Holding podinfo.test advancement: Kayenta judge has 0 of the 5 slices it needs (2/2 intervals); the open slice has 0 canary and 4400 primary requests of the 20 each it needs to close",
            "Halt podinfo.test advancement Kayenta judge: 0 of the 5 slices it needs after 2 held intervals; the open slice has 0 canary and 6600 primary requests of the 20 each it needs to close",
            "Halt podinfo.test advancement Kayenta judge: 0 of the 5 slices it needs after 2 held intervals; the open slice has 0 canary and 8800 primary requests of the 20 each it needs to close");
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.RollingBack).Which.Message.Should()
            .Be("Rolling back podinfo.test failed checks threshold reached 2");
    }

    [Fact]
    public async Task ReconcileAsync_WindowWithTooFewSlices_HoldsTheWeightAndJudgesTheCarriedSlicesAtTheNextStep()
    {
        await using var harness = new EngineHarness(Canary(Kayenta()));
        ServeAtRates(harness, canaryPerSecond: 1, comparisonPerSecond: 20);
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        var held = await IntervalAsync(harness);
        var judged = await IntervalAsync(harness);

        held.CanaryWeight.Should().Be(5, "a held check does not advance the weight");
        held.FailedChecks.Should().Be(0);
        held.Kayenta!.HeldIntervals.Should().Be(1);
        harness.Events.Should().ContainSingle(e => e.Type == CanaryEventType.CheckHeld).Which.Message.Should()
            .Be("Holding podinfo.test advancement: Kayenta judge has 3 of the 5 slices it needs (1/10 intervals)");
        Judgements(harness).Should().ContainSingle().Which.Message.Should().StartWith("Kayenta judge passes podinfo.test: score 100 (Pass; pass 95, marginal 75) over 6 slices");
        judged.CanaryWeight.Should().Be(10);
        judged.Kayenta!.HeldIntervals.Should().Be(0);
    }

    [Fact]
    public async Task LookAsync_CanaryBelowMinRequestsPerSample_CarriesItsCountsIntoTheNextSlice()
    {
        await using var harness = new EngineHarness(Canary(Kayenta()));
        ServeAtRates(harness, canaryPerSecond: 1, comparisonPerSecond: 20);
        await harness.StartRolloutAsync();
        var started = await harness.StepAsync();

        harness.Time.Advance(Look);
        var open = await harness.Engine.LookAsync(harness.Canary);
        harness.Time.Advance(Look);
        var closed = await harness.Engine.LookAsync(harness.Canary);

        open.Status.Kayenta!.Slices.Should().BeEmpty();
        open.Status.Kayenta.SampledUntil.Should().Be(started.Kayenta!.SampledUntil);
        harness.Samples.Calls.TakeLast(2).Should().OnlyContain(c => c.Window == TimeSpan.FromSeconds(20), "the second look counts from where the last slice ended");
        var slice = closed.Status.Kayenta!.Slices.Should().ContainSingle().Subject;
        slice.CanaryRequests.Should().Be(20);
        slice.ComparisonRequests.Should().Be(400);
        slice.Until.Should().Be(harness.Time.GetUtcNow());
    }

    [Fact]
    public async Task LookAsync_StatusRestoredFromJsonWhileASliceIsOpen_GivesTheSameSlicesAndHolds()
    {
        var uninterrupted = await LowTrafficEventsAsync(restartEveryLook: false);
        var restarted = await LowTrafficEventsAsync(restartEveryLook: true);

        restarted.Should().Equal(uninterrupted);
        restarted.Should().Contain(m => m.StartsWith("Holding podinfo.test advancement: Kayenta judge has 3 of the 5 slices", StringComparison.Ordinal))
            .And.Contain(m => m.StartsWith("Kayenta judge passes podinfo.test: score 100 (Pass; pass 95, marginal 75) over 6 slices", StringComparison.Ordinal));
    }

    private static async Task<List<string>> LowTrafficEventsAsync(bool restartEveryLook)
    {
        await using var harness = new EngineHarness(Canary(Kayenta()));
        ServeAtRates(harness, canaryPerSecond: 1, comparisonPerSecond: 20);
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        for (var interval = 0; interval < 4; interval++)
        {
            for (var i = 0; i < 5; i++)
            {
                harness.Time.Advance(Look);
                await harness.Engine.LookAsync(harness.Canary);
                if (restartEveryLook)
                {
                    await RestoreFromJsonAsync(harness);
                }
            }

            await harness.StepAsync();
            if (restartEveryLook)
            {
                await RestoreFromJsonAsync(harness);
            }
        }

        return [.. harness.Events.Select(e => e.Message)];
    }

    [Fact]
    public async Task ReconcileAsync_CountingFailsAtTheStep_IsAFailedCheck()
    {
        await using var harness = new EngineHarness(Canary(Kayenta(), threshold: 5));
        Serve(harness, Healthy);
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        harness.Samples.Failure = "prometheus is down";
        var status = await IntervalAsync(harness);

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement Kayenta judge: counting requests failed: prometheus is down");
    }

    [Fact]
    public async Task LookAsync_KayentaJudge_CutsASliceWithoutJudging()
    {
        await using var harness = new EngineHarness(Canary(Kayenta()));
        Serve(harness, Erroring);
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        harness.Time.Advance(Look);
        var look = await harness.Engine.LookAsync(harness.Canary);

        look.StepNow.Should().BeFalse();
        look.Status.Kayenta!.Slices.Should().ContainSingle().Which.CanaryRequests.Should().Be(200);
        look.Status.Kayenta.Judgements.Should().Be(0);
        look.Status.FailedChecks.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_StatusRestoredFromJsonEveryInterval_JudgesTheSameWindows()
    {
        var uninterrupted = await ScoresAsync(restartEveryInterval: false);
        var restarted = await ScoresAsync(restartEveryInterval: true);

        restarted.Should().Equal(uninterrupted);
        restarted.Should().HaveCount(4);
    }

    /// <summary>Replaces the stored status with its JSON round trip, as a restarted engine reads it.</summary>
    private static async Task RestoreFromJsonAsync(EngineHarness harness)
    {
        var stored = (await harness.Store.GetAsync(harness.Canary.Id, CancellationToken.None))!;
        var restored = JsonSerializer.Deserialize<CanaryStatus>(JsonSerializer.Serialize(stored.Status))!;
        restored.Kayenta.Should().BeEquivalentTo(stored.Status.Kayenta, o => o.WithStrictOrdering());
        await harness.Store.SaveAsync(harness.Canary.Id, restored, stored.Version, CancellationToken.None);
    }

    private static async Task<List<double?>> ScoresAsync(bool restartEveryInterval)
    {
        await using var harness = new EngineHarness(Canary(Kayenta(j => j with { Metrics = FourMetrics }), threshold: 5));
        Serve(harness, call => call % 4 == 0 ? Erroring(call) : Healthy(call));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        for (var i = 0; i < 4; i++)
        {
            await IntervalAsync(harness);
            if (restartEveryInterval)
            {
                var stored = (await harness.Store.GetAsync(harness.Canary.Id, CancellationToken.None))!;
                var restored = JsonSerializer.Deserialize<CanaryStatus>(JsonSerializer.Serialize(stored.Status))!;
                restored.Kayenta.Should().BeEquivalentTo(stored.Status.Kayenta, o => o.WithStrictOrdering());
                await harness.Store.SaveAsync(harness.Canary.Id, restored, stored.Version, CancellationToken.None);
            }
        }

        return [.. Judgements(harness).Select(e => e.Value)];
    }
}
