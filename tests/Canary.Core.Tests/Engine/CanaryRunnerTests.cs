using Canary.Engine;
using Canary.Model;
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
}
