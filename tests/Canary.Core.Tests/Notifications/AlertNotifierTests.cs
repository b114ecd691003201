using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Canary.Core.Tests.Engine;
using Canary.Core.Tests.Support;
using Canary.Events;
using Canary.Model;
using Canary.Notifications;
using Canary.Testing.Time;
using Microsoft.Extensions.Options;

namespace Canary.Core.Tests.Notifications;

public sealed class AlertNotifierTests : IAsyncLifetime
{
    private const string Secret = "T0001/B0002/XyZsEcReTtOkEn";
    private const string HookPath = "/services/" + Secret;
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 30, 0, TimeSpan.Zero);

    private readonly InMemoryAlertProviderStore _store = new();
    private readonly ListLogger<AlertNotifier> _logger = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task NotifyAsync_SlackProvider_PostsIncomingWebhookTextAndAttachment()
    {
        _store.Set(Provider(AlertProviderType.Slack) with { Channel = "#deployments", Username = "canary" });

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        var json = Delivered();
        Names(json).Should().Equal("channel", "username", "text", "attachments");
        json.GetProperty("channel").GetString().Should().Be("#deployments");
        json.GetProperty("username").GetString().Should().Be("canary");
        json.GetProperty("text").GetString().Should().Be("podinfo.test");
        var attachment = json.GetProperty("attachments")[0];
        attachment.GetProperty("color").GetString().Should().Be("warning");
        attachment.GetProperty("text").GetString().Should().Be("Halt podinfo.test advancement success rate 69.17% < 99%");
        attachment.GetProperty("ts").GetInt64().Should().Be(Now.ToUnixTimeSeconds());
        attachment.GetProperty("fields").EnumerateArray().Select(f => (f.GetProperty("title").GetString(), f.GetProperty("value").GetString()))
            .Should().Equal(("Phase", "Progressing"), ("Weight", "10%"), ("Failed checks", "1"), ("Metric", "request-success-rate"), ("Value", "69.17"), ("Threshold", "99 .. ∞"));
    }

    [Fact]
    public async Task NotifyAsync_SlackProviderWithoutChannelOrUser_LeavesThemToTheWebhook()
    {
        _store.Set(Provider(AlertProviderType.Slack));

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        Names(Delivered()).Should().Equal("text", "attachments");
    }

    [Fact]
    public async Task NotifyAsync_TeamsProvider_PostsAdaptiveCardMessage()
    {
        _store.Set(Provider(AlertProviderType.MSTeams));

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        var json = Delivered();
        json.GetProperty("type").GetString().Should().Be("message");
        var attachment = json.GetProperty("attachments")[0];
        attachment.GetProperty("contentType").GetString().Should().Be("application/vnd.microsoft.card.adaptive");
        var card = attachment.GetProperty("content");
        card.GetProperty("type").GetString().Should().Be("AdaptiveCard");
        card.GetProperty("version").GetString().Should().Be("1.4");
        var body = card.GetProperty("body");
        body[0].GetProperty("text").GetString().Should().Be("podinfo.test");
        body[0].GetProperty("color").GetString().Should().Be("Warning");
        body[1].GetProperty("text").GetString().Should().Be("Halt podinfo.test advancement success rate 69.17% < 99%");
        body[2].GetProperty("type").GetString().Should().Be("FactSet");
        body[2].GetProperty("facts")[0].GetProperty("title").GetString().Should().Be("Phase");
        body[2].GetProperty("facts")[0].GetProperty("value").GetString().Should().Be("Progressing");
    }

    [Fact]
    public async Task NotifyAsync_DiscordProvider_PostsContentAndEmbed()
    {
        _store.Set(Provider(AlertProviderType.Discord) with { Username = "canary" });

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed() with { Severity = AlertSeverity.Error });

        var json = Delivered();
        Names(json).Should().Equal("username", "content", "embeds");
        json.GetProperty("content").GetString().Should().Be("podinfo.test: Halt podinfo.test advancement success rate 69.17% < 99%");
        var embed = json.GetProperty("embeds")[0];
        embed.GetProperty("title").GetString().Should().Be("podinfo.test");
        embed.GetProperty("color").GetInt32().Should().Be(0xD50200);
        embed.GetProperty("timestamp").GetDateTimeOffset().Should().Be(Now);
        var field = embed.GetProperty("fields")[1];
        (field.GetProperty("name").GetString(), field.GetProperty("value").GetString(), field.GetProperty("inline").GetBoolean())
            .Should().Be(("Weight", "10%", true));
    }

    [Fact]
    public async Task NotifyAsync_RocketProvider_PostsSlackLikeMessageWithAlias()
    {
        _store.Set(Provider(AlertProviderType.Rocket) with { Channel = "#releases", Username = "canary" });

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        var json = Delivered();
        Names(json).Should().Equal("channel", "alias", "text", "attachments");
        var attachment = json.GetProperty("attachments")[0];
        attachment.GetProperty("text").GetString().Should().Be("Halt podinfo.test advancement success rate 69.17% < 99%");
        attachment.GetProperty("color").GetString().Should().Be("#daa038");
        attachment.GetProperty("fields")[0].GetProperty("title").GetString().Should().Be("Phase");
    }

    [Fact]
    public async Task NotifyAsync_GenericProvider_PostsTheEventAsJson()
    {
        _store.Set(Provider(AlertProviderType.Generic));

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        var json = Delivered();
        Names(json).Should().BeEquivalentTo("time", "type", "canary", "phase", "weight", "failedChecks", "message", "severity", "metric", "value", "threshold");
        json.GetProperty("type").GetString().Should().Be("CheckFailed");
        json.GetProperty("canary").GetProperty("name").GetString().Should().Be("podinfo");
        json.GetProperty("canary").GetProperty("namespace").GetString().Should().Be("test");
        json.GetProperty("severity").GetString().Should().Be("Warn");
        json.GetProperty("value").GetDouble().Should().Be(69.17);
        json.GetProperty("threshold").GetProperty("min").GetDouble().Should().Be(99);
        json.GetProperty("time").GetDateTimeOffset().Should().Be(Now);
    }

    [Theory]
    [InlineData(AlertSeverity.Info, AlertSeverity.Info, true)]
    [InlineData(AlertSeverity.Info, AlertSeverity.Warn, true)]
    [InlineData(AlertSeverity.Info, AlertSeverity.Error, true)]
    [InlineData(AlertSeverity.Warn, AlertSeverity.Info, false)]
    [InlineData(AlertSeverity.Warn, AlertSeverity.Warn, true)]
    [InlineData(AlertSeverity.Warn, AlertSeverity.Error, true)]
    [InlineData(AlertSeverity.Error, AlertSeverity.Info, false)]
    [InlineData(AlertSeverity.Error, AlertSeverity.Warn, false)]
    [InlineData(AlertSeverity.Error, AlertSeverity.Error, true)]
    public async Task NotifyAsync_EventSeverity_DeliveredOnlyAtOrAboveTheAlertsSeverity(AlertSeverity alert, AlertSeverity severity, bool delivered)
    {
        _store.Set(Provider(AlertProviderType.Slack));

        await NotifyAsync(Canary(alert), CheckFailed() with { Severity = severity });

        _server.Requests.Should().HaveCount(delivered ? 1 : 0);
    }

    [Fact]
    public async Task NotifyAsync_CheckPassed_IsNeverSent()
    {
        _store.Set(Provider(AlertProviderType.Slack));

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed() with { Type = CanaryEventType.CheckPassed, Severity = AlertSeverity.Info });

        _server.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task NotifyAsync_ConfirmGateWait_SentUnlessTheHookMutesAlerts(bool muted, int expected)
    {
        _store.Set(Provider(AlertProviderType.Slack));
        var hook = new WebhookSpec { Name = "approve", Type = WebhookType.ConfirmPromotion, Url = new Uri("http://gate.test/"), MuteAlert = muted };
        var canary = TestCanaries.Canary(a => a with { Alerts = [Alert(AlertSeverity.Info)], Webhooks = [hook] });
        var waiting = new CanaryEvent(Now, CanaryEventType.Waiting, canary.Id, CanaryPhase.WaitingPromotion, 50, 0,
            "Halt podinfo.test advancement waiting for promotion approval approve") { Webhook = "approve" };

        await NotifyAsync(canary, waiting);

        _server.Requests.Should().HaveCount(expected);
    }

    [Fact]
    public async Task NotifyAsync_ReferenceNamesANamespace_UsesTheProviderThere()
    {
        _store.Set(Provider(AlertProviderType.Slack) with { Namespace = "test", Address = _server.Url("/canary-namespace") });
        _store.Set(Provider(AlertProviderType.Slack) with { Namespace = "flagger-system", Address = _server.Url("/shared") });
        var canary = TestCanaries.Canary(a => a with { Alerts = [new AlertSpec("on-call", AlertSeverity.Info, new ProviderReference("on-call", "flagger-system"))] });

        await NotifyAsync(canary, CheckFailed());

        _server.Requests.Should().ContainSingle().Which.Path.Should().Be("/shared");
    }

    [Fact]
    public async Task NotifyAsync_ReferenceWithoutNamespace_UsesTheCanarysNamespace()
    {
        _store.Set(Provider(AlertProviderType.Slack) with { Namespace = "other", Address = _server.Url("/other") });
        _store.Set(Provider(AlertProviderType.Slack) with { Namespace = "test", Address = _server.Url("/own") });

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        _server.Requests.Should().ContainSingle().Which.Path.Should().Be("/own");
    }

    [Fact]
    public async Task NotifyAsync_SeveralAlerts_PostsToEachProvider()
    {
        _store.Set(Provider(AlertProviderType.Slack) with { Name = "slack", Address = _server.Url("/slack") });
        _store.Set(Provider(AlertProviderType.MSTeams) with { Name = "teams", Address = _server.Url("/teams") });
        var canary = TestCanaries.Canary(a => a with
        {
            Alerts = [new AlertSpec("dev", AlertSeverity.Info, new ProviderReference("slack")), new AlertSpec("ops", AlertSeverity.Warn, new ProviderReference("teams"))],
        });

        await NotifyAsync(canary, CheckFailed());

        _server.Requests.Select(r => r.Path).Should().BeEquivalentTo("/slack", "/teams");
    }

    [Fact]
    public async Task NotifyAsync_ProviderMissing_LogsAndDoesNotThrow()
    {
        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        _logger.Entries.Should().ContainSingle().Which.Should().Be("Warning: Alert on-call of canary podinfo.test names provider test/on-call, which does not exist");
    }

    [Fact]
    public async Task NotifyAsync_ProviderAnswersError_LogsStatusWithoutTheAddress()
    {
        _server.SetStatus(HookPath, 500);
        _store.Set(Provider(AlertProviderType.Slack));

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        _logger.Entries.Should().ContainSingle().Which.Should().Be("Warning: Alert on-call of canary podinfo.test was not delivered by Slack provider on-call: status 500");
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task NotifyAsync_ProviderUnreachable_LogsTheErrorKindWithoutTheAddress()
    {
        var address = new Uri($"http://127.0.0.1:{UnusedPort()}{HookPath}");
        _store.Set(Provider(AlertProviderType.Discord) with { Address = address });

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        _logger.Entries.Should().ContainSingle().Which.Should().EndWith("Discord provider on-call: ConnectionError");
        AssertNoSecretLogged(address);
    }

    [Fact]
    public async Task NotifyAsync_ProviderStalls_TimesOutAndLogsWithoutTheAddress()
    {
        _server.Stall(HookPath);
        _store.Set(Provider(AlertProviderType.MSTeams));
        var time = new ManualTimeProvider();
        using var notifier = new AlertNotifier(_store, Options.Create(new AlertNotifierOptions { Timeout = TimeSpan.FromMilliseconds(200) }), _logger, time);
        var notify = notifier.NotifyAsync(Canary(AlertSeverity.Info), CheckFailed(), CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(200));
        await notify.WaitAsync(TimeSpan.FromSeconds(10));

        _logger.Entries.Should().ContainSingle().Which.Should().EndWith("MSTeams provider on-call: timed out after 0.2s");
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task NotifyAsync_StoreThrowsWithTheAddressInItsMessage_LogsWithoutIt()
    {
        using var notifier = new AlertNotifier(new ThrowingStore(), logger: _logger);

        await notifier.NotifyAsync(Canary(AlertSeverity.Info), CheckFailed(), CancellationToken.None);

        _logger.Entries.Should().ContainSingle().Which.Should().EndWith("looking up provider test/on-call failed: InvalidOperationException");
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task NotifyAsync_ProviderWithProxy_PostsThroughTheProxy()
    {
        var proxy = new UriBuilder(_server.Address) { UserName = "relay", Password = "proxy-" + Secret }.Uri;
        _store.Set(Provider(AlertProviderType.Slack) with { Address = new Uri("http://hooks.slack.invalid" + HookPath), Proxy = proxy });

        await NotifyAsync(Canary(AlertSeverity.Info), CheckFailed());

        _server.Requests.Should().ContainSingle().Which.Path.Should().Be(HookPath);
        _logger.Entries.Should().BeEmpty();
    }

    [Fact]
    public void ToString_Provider_RedactsAddressAndProxy()
    {
        var provider = Provider(AlertProviderType.Slack) with { Proxy = new Uri("http://relay:pr0xyPa55w0rd@proxy.test:3128/") };

        var text = provider.ToString();

        text.Should().NotContain(Secret).And.NotContain("pr0xyPa55w0rd").And.Contain("Address = <redacted>").And.Contain("Proxy = <redacted>").And.Contain("Name = on-call");
    }

    private async Task NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent)
    {
        using var notifier = new AlertNotifier(_store, Options.Create(new AlertNotifierOptions()), _logger);
        await notifier.NotifyAsync(canary, canaryEvent, CancellationToken.None);
    }

    private JsonElement Delivered()
    {
        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be(HookPath);
        request.ContentType.Should().Be("application/json; charset=utf-8");
        return request.Json;
    }

    private void AssertNoSecretLogged(Uri? address = null)
    {
        var authority = (address ?? _server.Address).Authority;
        _logger.Entries.Should().NotBeEmpty()
            .And.NotContain(e => e.Contains(Secret, StringComparison.Ordinal) || e.Contains(authority, StringComparison.Ordinal));
    }

    private AlertProvider Provider(AlertProviderType type) => new() { Name = "on-call", Type = type, Address = _server.Url(HookPath) };

    private static CanaryResource Canary(AlertSeverity severity) => TestCanaries.Canary(a => a with { Alerts = [Alert(severity)] });

    private static AlertSpec Alert(AlertSeverity severity) => new("on-call", severity, new ProviderReference("on-call"));

    private static CanaryEvent CheckFailed() =>
        new(Now, CanaryEventType.CheckFailed, new CanaryId("podinfo", "test"), CanaryPhase.Progressing, 10, 1, "Halt podinfo.test advancement success rate 69.17% < 99%")
        {
            Severity = AlertSeverity.Warn,
            Metric = BuiltinMetrics.RequestSuccessRate,
            Value = 69.17,
            Threshold = new ThresholdRange(Min: 99),
        };

    private static IEnumerable<string> Names(JsonElement json) => json.EnumerateObject().Select(p => p.Name);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ThrowingStore : IAlertProviderStore
    {
        public ValueTask<AlertProvider?> GetAsync(string name, string providerNamespace, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("bad provider with address https://hooks.slack.com/services/" + Secret);
    }
}
