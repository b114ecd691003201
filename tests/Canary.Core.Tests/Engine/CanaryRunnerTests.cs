using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Model;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Core.Tests.Engine;

public class CanaryRunnerTests
{
    [Fact]
    public async Task RunAsync_UntilFinished_StepsEveryIntervalOnTheGivenClock()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary(a => a with { StepWeight = 25 }));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();
        var runner = harness.Services.GetRequiredService<CanaryRunner>();

        var run = runner.RunAsync(harness.Canary, untilFinished: true);
        for (var i = 0; i < 50 && !run.IsCompleted; i++)
        {
            await Task.Yield();
            harness.Time.Advance(harness.Canary.Spec.Analysis.Interval);
            await Task.Delay(5);
        }

        var status = await run.WaitAsync(TimeSpan.FromSeconds(10));
        status!.Phase.Should().Be(CanaryPhase.Succeeded);
        harness.AdvancedWeights.Should().Equal(25, 50);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsBetweenSteps()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        var runner = harness.Services.GetRequiredService<CanaryRunner>();
        using var stop = new CancellationTokenSource();

        var run = runner.RunAsync(harness.Canary, cancellationToken: stop.Token);
        await Task.Delay(20);
        await stop.CancelAsync();

        var status = await run.WaitAsync(TimeSpan.FromSeconds(10));
        status!.Phase.Should().Be(CanaryPhase.Initialized);
    }

    [Fact]
    public async Task RunAsync_RegressionBetweenSteps_RollsBackAtALookBeforeTheNextStep()
    {
        var canary = TestCanaries.Canary(a => a with { Metrics = [], Judge = new JudgeSpec { LatencyQuantiles = [], LookInterval = TimeSpan.FromSeconds(10) } });
        await using var harness = new EngineHarness(canary);
        await harness.StartRolloutAsync();
        harness.Samples.Answer = role => role != WorkloadRole.Canary
            ? new TrafficCounts(1900, 10)
            : harness.Cluster.Inspect(harness.Canary.Id).Routes.CanaryWeight > 0 ? new TrafficCounts(100, 20) : TrafficCounts.Empty;
        var runner = harness.Services.GetRequiredService<CanaryRunner>();
        var started = harness.Time.GetUtcNow();

        var run = runner.RunAsync(harness.Canary, untilFinished: true);
        for (var i = 0; i < 100 && !run.IsCompleted; i++)
        {
            await Task.Yield();
            harness.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5);
        }

        var status = await run.WaitAsync(TimeSpan.FromSeconds(10));
        status!.Phase.Should().Be(CanaryPhase.Failed);
        harness.AdvancedWeights.Should().Equal(5);
        harness.Events.Single(e => e.Type == CanaryEventType.RolledBack).Time.Should().BeBefore(started + TimeSpan.FromMinutes(1));
    }
}
