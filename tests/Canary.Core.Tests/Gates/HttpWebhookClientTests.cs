using System.Net;
using System.Net.Sockets;
using Canary.Core.Tests.Support;
using Canary.Gates;
using Canary.Model;
using Canary.Testing.Time;

namespace Canary.Core.Tests.Gates;

public sealed class HttpWebhookClientTests : IAsyncLifetime
{
    private static readonly WebhookPayload Payload = new("podinfo", "test", CanaryPhase.Progressing, "v2",
        new Dictionary<string, string> { ["cmd"] = "hey -z 1m http://podinfo-canary.test:9898/" });

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    [InlineData(299)]
    public async Task CallAsync_Answers2xx_Succeeds(int status)
    {
        _server.SetStatus("/hook", status);

        var result = await Client().CallAsync(Hook(), Payload, CancellationToken.None);

        result.Should().Be(new WebhookResult(true, status));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(404)]
    [InlineData(500)]
    public async Task CallAsync_AnswersOtherStatus_FailsWithStatusAndBodyFirstLine(int status)
    {
        _server.SetStatus("/hook", status);

        var result = await Client().CallAsync(Hook(), Payload, CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.StatusCode.Should().Be(status);
        result.Message.Should().Be(status >= 400 ? $"status {status}: refused by /hook" : $"status {status}");
    }

    [Fact]
    public async Task CallAsync_Posts_FlaggerPayloadAsJsonWithExactlyItsFields()
    {
        await Client().CallAsync(Hook(), Payload, CancellationToken.None);

        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.ContentType.Should().Be("application/json; charset=utf-8");
        var json = request.Json;
        json.EnumerateObject().Select(p => p.Name).Should().Equal("name", "namespace", "phase", "checksum", "metadata");
        json.GetProperty("name").GetString().Should().Be("podinfo");
        json.GetProperty("namespace").GetString().Should().Be("test");
        json.GetProperty("phase").GetString().Should().Be("Progressing");
        json.GetProperty("checksum").GetString().Should().Be("v2");
        json.GetProperty("metadata").EnumerateObject().Select(p => (p.Name, p.Value.GetString()))
            .Should().Equal(("cmd", "hey -z 1m http://podinfo-canary.test:9898/"));
    }

    [Fact]
    public async Task CallAsync_ServerStallsPastTimeout_FailsAsTimedOut()
    {
        _server.Stall("/hook");
        var time = new ManualTimeProvider();
        var call = Client(time).CallAsync(Hook() with { Timeout = TimeSpan.FromMilliseconds(200) }, Payload, CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(200));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));

        result.Should().Be(WebhookResult.Failure("timed out after 0.2s"));
    }

    [Fact]
    public async Task CallAsync_ServerStallsWithRealClock_FailsWithinTheTimeout()
    {
        _server.Stall("/hook");

        var result = await Client(TimeProvider.System)
            .CallAsync(Hook() with { Timeout = TimeSpan.FromMilliseconds(200) }, Payload, CancellationToken.None)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        result.Message.Should().Be("timed out after 0.2s");
    }

    [Fact]
    public async Task CallAsync_TransientFailuresWithinRetries_SucceedsOnLastAttempt()
    {
        _server.Script("/hook", 503, 429);

        var result = await Client().CallAsync(Hook() with { Retries = 2 }, Payload, CancellationToken.None);

        result.Succeeded.Should().BeTrue();
        _server.RequestsTo("/hook").Should().HaveCount(3);
    }

    [Fact]
    public async Task CallAsync_TransientFailuresBeyondRetries_FailsAfterOneAttemptPerRetry()
    {
        _server.SetStatus("/hook", 503);

        var result = await Client().CallAsync(Hook() with { Retries = 2 }, Payload, CancellationToken.None);

        result.StatusCode.Should().Be(503);
        _server.RequestsTo("/hook").Should().HaveCount(3);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task CallAsync_PermanentFailure_IsNotRetried(int status)
    {
        _server.SetStatus("/hook", status);

        var result = await Client().CallAsync(Hook() with { Retries = 3 }, Payload, CancellationToken.None);

        result.StatusCode.Should().Be(status);
        _server.RequestsTo("/hook").Should().ContainSingle();
    }

    [Fact]
    public async Task CallAsync_NoRetries_CallsOnce()
    {
        _server.SetStatus("/hook", 500);

        await Client().CallAsync(Hook(), Payload, CancellationToken.None);

        _server.RequestsTo("/hook").Should().ContainSingle();
    }

    [Fact]
    public async Task CallAsync_TimeoutWithinRetries_IsRetried()
    {
        _server.Stall("/slow");
        var hook = Hook() with { Url = _server.Url("/slow"), Timeout = TimeSpan.FromMilliseconds(100), Retries = 1 };

        var result = await Client(TimeProvider.System).CallAsync(hook, Payload, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        result.Succeeded.Should().BeFalse();
        _server.RequestsTo("/slow").Should().HaveCount(2);
    }

    [Fact]
    public async Task CallAsync_ConnectionRefused_FailsWithoutThrowing()
    {
        var hook = Hook() with { Url = new Uri($"http://127.0.0.1:{UnusedPort()}/hook") };

        var result = await Client().CallAsync(hook, Payload, CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.StatusCode.Should().BeNull();
        result.Message.Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("exec://smoke", "needs a test gate on the host: register one with AddCommandTestGates() or AddTestGate<T>()")]
    [InlineData("approval://release", "URL scheme \"approval\" is only valid on confirm-rollout and confirm-promotion hooks, not on Rollout hooks")]
    [InlineData("ftp://hooks.test/hook", "URL scheme \"ftp\" is not supported: use http or https")]
    public async Task CallAsync_UrlIsNotHttp_FailsWithWhatToDo(string url, string expected)
    {
        var result = await Client().CallAsync(Hook() with { Url = new Uri(url) }, Payload, CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.Message.Should().EndWith(expected);
    }

    [Fact]
    public async Task CallAsync_NonPositiveTimeout_FailsNamingTheTimeout()
    {
        var result = await Client().CallAsync(Hook() with { Timeout = TimeSpan.Zero }, Payload, CancellationToken.None);

        result.Message.Should().StartWith("timeout must be positive");
        _server.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(100, 30)]
    public void RetryDelay_Retry_DoublesFromBaseUpToMax(int retry, int seconds)
    {
        var options = new HttpWebhookClientOptions();

        options.RetryDelay(retry).Should().Be(TimeSpan.FromSeconds(seconds));
    }

    private static HttpWebhookClient Client(TimeProvider? time = null) =>
        new(Http, time ?? TimeProvider.System, new HttpWebhookClientOptions { RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero });

    private WebhookSpec Hook() => new() { Name = "load", Type = WebhookType.Rollout, Url = _server.Url("/hook") };

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
