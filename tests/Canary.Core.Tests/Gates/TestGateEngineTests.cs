using Canary.Core.Tests.Engine;
using Canary.Events;
using Canary.Gates;
using Canary.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Core.Tests.Gates;

/// <summary>Test gates through the engine: <c>exec:</c> webhooks run as local commands when the host opts in.</summary>
public sealed class TestGateEngineTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task PreRollout_TestFails_CountsFailedCheckBeforeAnyTraffic()
    {
        await using var harness = Harness(Test("acceptance", WebhookType.PreRollout, "echo 'login page returned 500' >&2; exit 4"));
        await harness.StartRolloutAsync();

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.FailedChecks == 1 && s.CanaryWeight == 0);
        harness.Events.Last().Should().Match<CanaryEvent>(e => e.Type == CanaryEventType.CheckFailed
            && e.Message == "Halt podinfo.test advancement pre-rollout check acceptance failed exit code 4: login page returned 500");
    }

    [Fact]
    public async Task PreRollout_TestPasses_CanaryTakesTraffic()
    {
        await using var harness = Harness(Test("acceptance", WebhookType.PreRollout, "test \"$CANARY_CHECKSUM\" = v2"));
        await harness.StartRolloutAsync();

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.FailedChecks == 0 && s.CanaryWeight == 5);
    }

    [Fact]
    public async Task Rollout_TestFailsUnderTraffic_CountsFailedCheck()
    {
        await using var harness = Harness(Test("e2e", WebhookType.Rollout, "test \"$CANARY_PHASE\" != Progressing"));
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.FailedChecks == 1 && s.CanaryWeight == 5);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement external check e2e failed exit code 1");
    }

    [Fact]
    public async Task Rollout_TestPassesEveryStep_Promotes()
    {
        await using var harness = Harness(Test("e2e", WebhookType.Rollout, "true"));
        await harness.StartRolloutAsync();

        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task ExecHook_HostDidNotOptIn_FailsSayingHowToOptIn()
    {
        var canary = TestCanaries.Canary(a => a with { Webhooks = [Test("acceptance", WebhookType.PreRollout, "true")] });
        await using var harness = new EngineHarness(canary, webhooks: new HttpWebhookClient(_http, TimeProvider.System));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        await harness.StartRolloutAsync();

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().EndWith("needs a test gate on the host: register one with AddCommandTestGates() or AddTestGate<T>()");
    }

    private EngineHarness Harness(params WebhookSpec[] webhooks)
    {
        var harness = new EngineHarness(
            TestCanaries.Canary(a => a with { Webhooks = webhooks }),
            webhooks: new HttpWebhookClient(_http, TimeProvider.System),
            configure: builder => builder.AddCommandTestGates());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        return harness;
    }

    private static WebhookSpec Test(string name, WebhookType type, string command) => new()
    {
        Name = name,
        Type = type,
        Url = new Uri("exec://" + name),
        Timeout = TimeSpan.FromSeconds(20),
        Metadata = new Dictionary<string, string> { ["type"] = "cmd", ["cmd"] = command },
    };
}
