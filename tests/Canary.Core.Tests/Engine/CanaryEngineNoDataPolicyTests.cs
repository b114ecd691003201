using Canary.Events;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class CanaryEngineNoDataPolicyTests
{
    private static CanaryResource HoldingCanary(int maxHoldIntervals, long minRequests = 0) => TestCanaries.Canary(a => a with
    {
        Metrics = [TestCanaries.SuccessRate with { NoData = new NoDataPolicy(NoDataAction.Hold, maxHoldIntervals, minRequests) }],
    });

    private static async Task<EngineHarness> AtFirstWeightAsync(CanaryResource canary)
    {
        var harness = new EngineHarness(canary);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        return harness;
    }

    [Fact]
    public async Task ReconcileAsync_HoldPolicyWithoutData_HoldsWithoutFailedCheck()
    {
        await using var harness = await AtFirstWeightAsync(HoldingCanary(3));
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.FailedChecks == 0 && s.CanaryWeight == 5);
        harness.Events.Last().Type.Should().Be(CanaryEventType.CheckHeld);
    }

    [Fact]
    public async Task ReconcileAsync_HoldPolicyExhausted_FailsTheCheck()
    {
        await using var harness = await AtFirstWeightAsync(HoldingCanary(2));
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);

        await harness.StepAsync();
        await harness.StepAsync();
        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
    }

    [Fact]
    public async Task ReconcileAsync_DataReturnsAfterHold_ResetsTheHoldCount()
    {
        await using var harness = await AtFirstWeightAsync(HoldingCanary(2));
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);
        await harness.StepAsync();
        await harness.StepAsync();
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StepAsync();
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(0);
        status.NoDataIntervals[BuiltinMetrics.RequestSuccessRate].Should().Be(1);
    }

    [Fact]
    public async Task ReconcileAsync_FewerRequestsThanMinimum_CountsAsNoData()
    {
        await using var harness = await AtFirstWeightAsync(HoldingCanary(3, minRequests: 100));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 0, samples: 3);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(0);
        harness.Events.Last().Message.Should().Contain("only 3 requests, fewer than 100");
    }

    [Fact]
    public async Task ReconcileAsync_FailPolicyWithoutData_FailsAtOnce()
    {
        await using var harness = await AtFirstWeightAsync(TestCanaries.Canary());
        harness.Metrics.ReturnsNoData(BuiltinMetrics.RequestSuccessRate);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
    }
}
