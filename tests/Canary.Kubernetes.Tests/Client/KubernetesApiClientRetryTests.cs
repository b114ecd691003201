using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Client;

public sealed class KubernetesApiClientRetryTests
{
    private const string Pod = """{"metadata":{"name":"p"}}""";

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task GetAsync_TransientStatusThenSuccess_Retries(HttpStatusCode transient)
    {
        var handler = FakeKubeApiHandler.Sequence(
            () => FakeKubeApiHandler.Json(transient, StatusBodies.ServiceUnavailable),
            () => FakeKubeApiHandler.Json(transient, StatusBodies.ServiceUnavailable),
            () => FakeKubeApiHandler.Json(Pod));
        using var client = TestClients.Create(handler);

        var result = await client.GetAsync(ResourceType.Pods, "prod", "p");

        result["metadata"]!["name"]!.GetValue<string>().Should().Be("p");
        handler.Requests.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, StatusBodies.Conflict)]
    [InlineData(HttpStatusCode.UnprocessableEntity, StatusBodies.Invalid)]
    [InlineData(HttpStatusCode.NotFound, StatusBodies.NotFound)]
    [InlineData(HttpStatusCode.BadRequest, StatusBodies.BadRequest)]
    public async Task PatchAsync_ClientError_IsNotRetried(HttpStatusCode code, string body)
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(code, body));
        using var client = TestClients.Create(handler);

        var act = () => client.PatchAsync(ResourceType.Deployments, "prod", "web", KubernetesPatch.Merge([]));

        (await act.Should().ThrowAsync<KubernetesException>()).Which.StatusCode.Should().Be(code);
        handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task GetAsync_TransientFailuresBeyondLimit_ThrowsLastStatus()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(HttpStatusCode.ServiceUnavailable, StatusBodies.ServiceUnavailable));
        using var client = TestClients.Create(handler, options: TestClients.FastOptions(retries: 2));

        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        (await act.Should().ThrowAsync<KubernetesException>()).Which.Reason.Should().Be(KubernetesErrorReason.ServiceUnavailable);
        handler.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task GetAsync_ConnectionFailureThenSuccess_Retries()
    {
        var handler = new FakeKubeApiHandler((_, index) => index == 0
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (kube.test:6443)"))
            : Task.FromResult(FakeKubeApiHandler.Json(Pod)));
        using var client = TestClients.Create(handler);

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task CreateAsync_ServiceUnavailableThenCreated_ResendsSameBody()
    {
        var handler = FakeKubeApiHandler.Sequence(
            () => FakeKubeApiHandler.Json(HttpStatusCode.ServiceUnavailable, StatusBodies.ServiceUnavailable),
            () => FakeKubeApiHandler.Json(HttpStatusCode.Created, Pod));
        using var client = TestClients.Create(handler);

        await client.CreateAsync(ResourceType.Pods, "prod", JsonNode.Parse(Pod)!.AsObject());

        handler.Requests.Should().HaveCount(2);
        handler.Requests[1].Body.Should().Be(handler.Requests[0].Body).And.Contain("\"name\":\"p\"");
    }

    [Fact]
    public async Task GetAsync_TooManyRequestsWithRetryAfter_WaitsThatLong()
    {
        var time = new ManualTimeProvider();
        var handler = FakeKubeApiHandler.Sequence(
            () =>
            {
                var response = FakeKubeApiHandler.Json(HttpStatusCode.TooManyRequests, StatusBodies.TooManyRequests);
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
                return response;
            },
            () => FakeKubeApiHandler.Json(Pod));
        var options = TestClients.FastOptions(time: time);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        using var client = TestClients.Create(handler, options: options);

        var pending = client.GetAsync(ResourceType.Pods, "prod", "p");
        await time.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4.9));
        var earlyCount = handler.Requests.Count;
        time.Advance(TimeSpan.FromSeconds(0.1));
        await pending.WaitAsync(TimeSpan.FromSeconds(20));

        earlyCount.Should().Be(1);
        handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task GetAsync_RetryAfterLongerThanMaxDelay_ThrowsWithRetryAfterInsteadOfWaiting()
    {
        var handler = new FakeKubeApiHandler(_ =>
        {
            var response = FakeKubeApiHandler.Json(HttpStatusCode.TooManyRequests, StatusBodies.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(10));
            return response;
        });
        using var client = TestClients.Create(handler);

        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        (await act.Should().ThrowAsync<KubernetesException>()).Which.RetryAfter.Should().Be(TimeSpan.FromMinutes(10));
        handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task GetAsync_AttemptTimesOutThenSucceeds_RetriesAfterTimeout()
    {
        var time = new ManualTimeProvider();
        var handler = new FakeKubeApiHandler(async (_, index, cancellationToken) =>
        {
            if (index == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
            }

            return FakeKubeApiHandler.Json(Pod);
        });
        var options = TestClients.FastOptions(retries: 1, time: time);
        options.RequestTimeout = TimeSpan.FromSeconds(100);
        using var client = TestClients.Create(handler, options: options);

        var pending = client.GetAsync(ResourceType.Pods, "prod", "p");
        await time.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(100));
        time.Advance(TimeSpan.FromSeconds(100));
        await pending.WaitAsync(TimeSpan.FromSeconds(20));

        handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task GetAsync_AttemptTimesOutWithoutRetries_ThrowsTimeoutException()
    {
        var time = new ManualTimeProvider();
        var handler = new FakeKubeApiHandler(async (_, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
            return FakeKubeApiHandler.Json(Pod);
        });
        var options = TestClients.FastOptions(retries: 0, time: time);
        using var client = TestClients.Create(handler, new KubernetesClientConfiguration { Host = TestClients.Host, Timeout = TimeSpan.FromSeconds(30) }, options);

        var pending = client.GetAsync(ResourceType.Pods, "prod", "p");
        await time.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));

        (await ((Func<Task>)(() => pending)).Should().ThrowAsync<TimeoutException>()).Which.Message.Should()
            .Be("GET /api/v1/namespaces/prod/pods/p did not complete within 30 seconds.");
    }

    [Fact]
    public async Task GetAsync_Retry_IsLogged()
    {
        var logs = new ListLoggerFactory();
        var handler = FakeKubeApiHandler.Sequence(
            () => FakeKubeApiHandler.Json(HttpStatusCode.ServiceUnavailable, StatusBodies.ServiceUnavailable),
            () => FakeKubeApiHandler.Json(Pod));
        using var client = TestClients.Create(handler, options: TestClients.FastOptions(logs: logs));

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        logs.Entries.Should().ContainSingle(e => e.EventId.Id == 3100).Which.Message.Should()
            .Contain("GET /api/v1/namespaces/prod/pods/p").And.Contain("503");
    }
}
