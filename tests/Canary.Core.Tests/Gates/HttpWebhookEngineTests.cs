using System.Text.Json;
using Canary.Core.Tests.Engine;
using Canary.Core.Tests.Support;
using Canary.Events;
using Canary.Gates;
using Canary.Model;

namespace Canary.Core.Tests.Gates;

/// <summary>Every webhook type through the engine, posted by the real <see cref="HttpWebhookClient"/> to a loopback server.</summary>
public sealed class HttpWebhookEngineTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConfirmRollout_ClosedGate_WaitsWithoutScalingUpOrFailedCheck()
    {
        await using var harness = Harness(Hook("gate", WebhookType.ConfirmRollout));
        _server.SetStatus("/gate", 403);

        await harness.StartRolloutAsync();
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Waiting && s.FailedChecks == 0);
        harness.Cluster.Inspect(harness.Canary.Id).CanaryReplicas.Should().Be(0);
        _server.RequestsTo("/gate").First().Json.GetProperty("phase").GetString().Should().Be("Initialized");
    }

    [Fact]
    public async Task ConfirmRollout_GateOpens_StartsTheRun()
    {
        await using var harness = Harness(Hook("gate", WebhookType.ConfirmRollout));
        _server.SetStatus("/gate", 403);
        await harness.StartRolloutAsync();

        _server.SetStatus("/gate", 200);
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.Progressing && s.LastAppliedSpec == "v2");
    }

    [Fact]
    public async Task PreRollout_Fails_CountsFailedCheckWithTheAnswer()
    {
        await using var harness = Harness(Hook("acceptance", WebhookType.PreRollout));
        _server.SetStatus("/acceptance", 500);
        await harness.StartRolloutAsync();

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.FailedChecks == 1 && s.CanaryWeight == 0);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement pre-rollout check acceptance failed status 500: refused by /acceptance");
    }

    [Fact]
    public async Task PreRollout_Called_WithProgressingPhaseAndTheNewRevision()
    {
        await using var harness = Harness(Hook("acceptance", WebhookType.PreRollout));
        await harness.StartRolloutAsync();

        await harness.StepAsync();

        var json = _server.RequestsTo("/acceptance").Should().ContainSingle().Subject.Json;
        Fields(json).Should().Equal(
            ("name", "podinfo"), ("namespace", "test"), ("phase", "Progressing"), ("checksum", "v2"), ("metadata", "{}"));
    }

    [Fact]
    public async Task Rollout_Fails_CountsFailedCheck()
    {
        await using var harness = Harness(Hook("load", WebhookType.Rollout));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        _server.SetStatus("/load", 404);

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement external check load failed status 404: refused by /load");
    }

    [Fact]
    public async Task Rollout_Called_WithItsMetadata()
    {
        var hook = Hook("load", WebhookType.Rollout) with
        {
            Metadata = new Dictionary<string, string> { ["type"] = "cmd", ["cmd"] = "hey -z 1m -q 10 http://podinfo-canary.test:9898/" },
        };
        await using var harness = Harness(hook);
        await harness.StartRolloutAsync();
        await harness.StepAsync();

        await harness.StepAsync();

        var json = _server.RequestsTo("/load").Should().ContainSingle().Subject.Json;
        json.GetProperty("metadata").EnumerateObject().Select(p => (p.Name, p.Value.GetString()))
            .Should().Equal(("type", "cmd"), ("cmd", "hey -z 1m -q 10 http://podinfo-canary.test:9898/"));
    }

    [Fact]
    public async Task Rollout_StallsPastTimeout_CountsFailedCheck()
    {
        await using var harness = Harness(Hook("load", WebhookType.Rollout) with { Timeout = TimeSpan.FromMilliseconds(200) });
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        _server.Stall("/load");

        var status = await harness.StepAsync();

        status.FailedChecks.Should().Be(1);
        harness.Events.Last().Message.Should().Be("Halt podinfo.test advancement external check load failed timed out after 0.2s");
    }

    [Fact]
    public async Task Rollout_TransientFailuresWithinRetries_Passes()
    {
        await using var harness = Harness(Hook("load", WebhookType.Rollout) with { Retries = 2 });
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        _server.Script("/load", 503, 502);

        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.FailedChecks == 0 && s.CanaryWeight == 10);
        _server.RequestsTo("/load").Should().HaveCount(3);
    }

    [Fact]
    public async Task ConfirmTrafficIncrease_ClosedGate_HoldsWeightWithoutFailedCheck()
    {
        await using var harness = Harness(Hook("more", WebhookType.ConfirmTrafficIncrease));
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        _server.SetStatus("/more", 403);

        await harness.StepAsync();
        var status = await harness.StepAsync();

        status.Should().Match<CanaryStatus>(s => s.CanaryWeight == 5 && s.FailedChecks == 0 && s.Phase == CanaryPhase.Progressing);
    }

    [Fact]
    public async Task ConfirmPromotion_ClosedGate_WaitsForPromotionWithoutFailedCheck()
    {
        await using var harness = Harness(Hook("approve", WebhookType.ConfirmPromotion));
        _server.SetStatus("/approve", 403);
        await harness.StartRolloutAsync();

        await StepsAsync(harness, 13);

        harness.Status.Should().Match<CanaryStatus>(s => s.Phase == CanaryPhase.WaitingPromotion && s.FailedChecks == 0 && s.CanaryWeight == 50);
        harness.Events.Last(e => e.Type == CanaryEventType.Waiting).Message.Should().Be("Halt podinfo.test advancement waiting for promotion approval approve");
    }

    [Fact]
    public async Task ConfirmPromotion_GateAnswers2xx_Promotes()
    {
        await using var harness = Harness(Hook("approve", WebhookType.ConfirmPromotion));
        _server.SetStatus("/approve", 403);
        await harness.StartRolloutAsync();
        await StepsAsync(harness, 13);

        _server.SetStatus("/approve", 204);
        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Succeeded);
    }

    [Fact]
    public async Task Rollback_Answers2xx_RollsBack()
    {
        await using var harness = Harness(Hook("rollback", WebhookType.Rollback));
        _server.SetStatus("/rollback", 404);
        await harness.StartRolloutAsync();
        await harness.StepAsync();
        harness.Status.Phase.Should().Be(CanaryPhase.Progressing);

        _server.SetStatus("/rollback", 200);
        var status = await harness.StepAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        harness.Events.Should().Contain(e => e.Message == "Rolling back podinfo.test manual webhook rollback invoked");
    }

    [Fact]
    public async Task PostRollout_RunEnds_CalledOnceWithTheFinalPhase()
    {
        await using var harness = Harness(Hook("notify", WebhookType.PostRollout));
        await harness.StartRolloutAsync();

        await harness.RunToEndAsync();

        var json = _server.RequestsTo("/notify").Should().ContainSingle().Subject.Json;
        json.GetProperty("phase").GetString().Should().Be("Succeeded");
        json.GetProperty("checksum").GetString().Should().Be("v2");
    }

    [Fact]
    public async Task Event_EveryEvent_PostedWithMessageTypeAndTimestamp()
    {
        var hook = Hook("events", WebhookType.Event) with { Metadata = new Dictionary<string, string> { ["team"] = "payments" } };
        await using var harness = Harness(hook);

        await harness.StartRolloutAsync();

        var requests = _server.RequestsTo("/events").Select(r => r.Json).ToList();
        requests.Select(j => j.GetProperty("metadata").GetProperty("eventMessage").GetString())
            .Should().Equal(harness.Events.Select(e => e.Message));
        var last = requests[^1];
        last.GetProperty("metadata").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("team", "eventMessage", "eventType", "timestamp");
        last.GetProperty("metadata").GetProperty("eventType").GetString().Should().Be("Normal");
        last.GetProperty("metadata").GetProperty("timestamp").GetString()
            .Should().Be(harness.Events.Last().Time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Event_WarningEvent_PostedWithWarningType()
    {
        await using var harness = Harness(Hook("events", WebhookType.Event), Hook("gate", WebhookType.ConfirmRollout));
        _server.SetStatus("/gate", 403);

        await harness.StartRolloutAsync();

        _server.RequestsTo("/events").Last().Json.GetProperty("metadata").GetProperty("eventType").GetString().Should().Be("Warning");
    }

    private static EngineHarness Harness(params WebhookSpec[] webhooks)
    {
        var client = new HttpWebhookClient(Http, TimeProvider.System, new HttpWebhookClientOptions { RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero });
        var harness = new EngineHarness(TestCanaries.Canary(a => a with { Webhooks = webhooks }), webhooks: client);
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        return harness;
    }

    private WebhookSpec Hook(string name, WebhookType type) => new() { Name = name, Type = type, Url = _server.Url("/" + name) };

    private static async Task StepsAsync(EngineHarness harness, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            await harness.StepAsync();
        }
    }

    private static IEnumerable<(string, string?)> Fields(JsonElement json) =>
        json.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
}
