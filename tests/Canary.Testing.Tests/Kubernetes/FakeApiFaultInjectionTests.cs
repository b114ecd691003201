using System.Net;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiFaultInjectionTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task FailNext_MatchingRequest_GetsTheChosenStatusOnce()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));
        var rule = _api.Server.FailNext(r => r.Method == "GET" && r.IsFor("cm"), 503, "ServiceUnavailable", "etcd is sad");

        var failed = await _api.GetAsync(Paths.ConfigMap("cm"));
        var next = await _api.GetAsync(Paths.ConfigMap("cm"));

        failed.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        Objects.Json(failed.Body).Should().Be(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcd is sad","reason":"ServiceUnavailable","details":{},"code":503}""");
        next.Status.Should().Be(HttpStatusCode.OK);
        rule.Hits.Should().Be(1);
        rule.Remaining.Should().Be(0);
    }

    [Fact]
    public async Task FailNext_Times_FailsThatManyMatchingRequests()
    {
        _api.Server.FailNext(r => r.Method == "POST", 429, "TooManyRequests", times: 2);

        var first = await _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));
        var second = await _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));
        var third = await _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));

        first.Status.Should().Be(HttpStatusCode.TooManyRequests);
        second.Status.Should().Be(HttpStatusCode.TooManyRequests);
        third.Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task FailNext_NonMatchingRequests_AreServedNormally()
    {
        var rule = _api.Server.FailNext(r => r.Method == "DELETE", 500, "InternalError");

        var response = await _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));

        response.Status.Should().Be(HttpStatusCode.Created);
        rule.Hits.Should().Be(0);
    }

    [Fact]
    public async Task Stall_MatchingRequest_WaitsUntilReleased()
    {
        var rule = _api.Server.Stall(r => r.Method == "POST");

        var pending = _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("slow"));
        await WaitForHitAsync(rule);
        var stillPending = pending.IsCompleted;
        rule.Release();
        var response = await pending;

        stillPending.Should().BeFalse();
        response.Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Stall_ClientGivesUp_RequestIsRecordedAsAbandoned()
    {
        _api.Server.Stall(r => r.Method == "GET" && r.IsFor("configmaps"));
        using var impatient = new HttpClient { BaseAddress = _api.Server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };

        var call = () => impatient.GetAsync(Paths.ConfigMaps());

        await call.Should().ThrowAsync<TaskCanceledException>();
        await WaitForAsync(() => _api.Server.Requests.Any(r => r.StatusCode == 499));
    }

    [Fact]
    public async Task Requests_RecordsMethodPathQueryContentTypeAndStatus()
    {
        _api.Server.ClearRequests();

        await _api.PatchAsync(Paths.ConfigMap("missing") + "?fieldManager=canary", "application/merge-patch+json", "{}");

        var recorded = _api.Server.Requests.Should().ContainSingle().Subject;
        recorded.Method.Should().Be("PATCH");
        recorded.Path.Should().Be(Paths.ConfigMap("missing"));
        recorded.Query.Should().Be("fieldManager=canary");
        recorded.ContentType.Should().StartWith("application/merge-patch+json");
        recorded.StatusCode.Should().Be(404);
    }

    [Fact]
    public async Task ClearRequests_ForgetsEverythingRecordedSoFar()
    {
        await _api.GetAsync(Paths.ConfigMaps());

        _api.Server.ClearRequests();

        _api.Server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Requests_WatchIsRecordedWhileItIsOpen()
    {
        _api.Server.ClearRequests();

        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true");

        _api.Server.Requests.Should().ContainSingle(r => r.IsWatch && r.StatusCode == 200);
        _api.Server.ActiveWatchCount.Should().Be(1);
    }

    [Fact]
    public async Task ClearFaults_ReleasesStalledRequestsAndRemovesRules()
    {
        var rule = _api.Server.Stall(r => r.Method == "POST");
        _api.Server.FailNext(r => r.Method == "GET", 500, "InternalError");
        var pending = _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));
        await WaitForHitAsync(rule);

        _api.Server.ClearFaults();

        (await pending).Status.Should().Be(HttpStatusCode.Created);
        (await _api.GetAsync(Paths.ConfigMaps())).Status.Should().Be(HttpStatusCode.OK);
    }

    private static Task WaitForHitAsync(Canary.Testing.Kubernetes.FaultRule rule) => WaitForAsync(() => rule.Hits > 0);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
