using System.Net;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Client;

public sealed class UpdateWithRetryTests
{
    [Fact]
    public async Task UpdateWithRetryAsync_ConflictOnce_RereadsAndKeepsTheOtherWritersFields()
    {
        var reads = 0;
        var writes = 0;
        var handler = new FakeKubeApiHandler(request =>
        {
            if (request.Method == HttpMethod.Get)
            {
                return ++reads == 1
                    ? FakeKubeApiHandler.Json("""{"metadata":{"name":"web","resourceVersion":"1","labels":{"a":"1"}},"spec":{"replicas":1}}""")
                    : FakeKubeApiHandler.Json("""{"metadata":{"name":"web","resourceVersion":"2","labels":{"a":"1","other":"theirs"}},"spec":{"replicas":1}}""");
            }

            return ++writes == 1
                ? FakeKubeApiHandler.Json(HttpStatusCode.Conflict, StatusBodies.Conflict)
                : FakeKubeApiHandler.Json(request.Body!);
        });
        using var client = TestClients.Create(handler);

        var result = await client.UpdateWithRetryAsync(ResourceType.Deployments, "prod", "web", obj =>
        {
            obj["spec"]!["replicas"] = 3;
            return obj;
        });

        handler.Requests.Select(r => r.Method.Method).Should().Equal("GET", "PUT", "GET", "PUT");
        var lastPut = JsonNode.Parse(handler.Requests[3].Body!)!;
        lastPut["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("2");
        lastPut["metadata"]!["labels"]!["other"]!.GetValue<string>().Should().Be("theirs");
        lastPut["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
        result["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public async Task UpdateWithRetryAsync_AlwaysConflicting_ThrowsAfterMaxAttempts()
    {
        var handler = new FakeKubeApiHandler(request => request.Method == HttpMethod.Get
            ? FakeKubeApiHandler.Json("""{"metadata":{"name":"web","resourceVersion":"1"}}""")
            : FakeKubeApiHandler.Json(HttpStatusCode.Conflict, StatusBodies.Conflict));
        using var client = TestClients.Create(handler);

        var act = () => client.UpdateWithRetryAsync(ResourceType.Deployments, "prod", "web", obj => obj, maxAttempts: 3);

        (await act.Should().ThrowAsync<KubernetesException>()).Which.IsConflict.Should().BeTrue();
        handler.Requests.Count(r => r.Method == HttpMethod.Put).Should().Be(3);
    }

    [Fact]
    public async Task UpdateWithRetryAsync_MutateReturnsNull_DoesNotWrite()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"metadata":{"name":"web","resourceVersion":"1"}}"""));
        using var client = TestClients.Create(handler);

        var result = await client.UpdateWithRetryAsync(ResourceType.Deployments, "prod", "web", _ => null);

        handler.Requests.Should().ContainSingle().Which.Method.Should().Be(HttpMethod.Get);
        KubernetesObject.GetResourceVersion(result).Should().Be("1");
    }

    [Fact]
    public async Task UpdateWithRetryAsync_Invalid_IsNotRetried()
    {
        var handler = new FakeKubeApiHandler(request => request.Method == HttpMethod.Get
            ? FakeKubeApiHandler.Json("""{"metadata":{"name":"web","resourceVersion":"1"}}""")
            : FakeKubeApiHandler.Json(HttpStatusCode.UnprocessableEntity, StatusBodies.Invalid));
        using var client = TestClients.Create(handler);

        var act = () => client.UpdateWithRetryAsync(ResourceType.Deployments, "prod", "web", obj => obj);

        (await act.Should().ThrowAsync<KubernetesException>()).Which.IsInvalid.Should().BeTrue();
        handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task UpdateWithRetryAsync_MutateDropsResourceVersion_WritesWithTheVersionRead()
    {
        var handler = new FakeKubeApiHandler(request => request.Method == HttpMethod.Get
            ? FakeKubeApiHandler.Json("""{"metadata":{"name":"web","resourceVersion":"41"}}""")
            : FakeKubeApiHandler.Json(request.Body!));
        using var client = TestClients.Create(handler);

        await client.UpdateWithRetryAsync(ResourceType.Leases, "prod", "web", obj =>
        {
            obj["metadata"]!.AsObject().Remove("resourceVersion");
            return obj;
        });

        JsonNode.Parse(handler.Requests[1].Body!)!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("41");
    }

    [Fact]
    public async Task UpdateWithRetryAsync_StatusSubresource_ReadsAndWritesStatus()
    {
        var handler = new FakeKubeApiHandler(request => FakeKubeApiHandler.Json(request.Body ?? """{"metadata":{"name":"web","resourceVersion":"1"}}"""));
        using var client = TestClients.Create(handler);

        await client.UpdateWithRetryAsync(ResourceType.Deployments, "prod", "web", obj => obj, subresource: "status");

        handler.Requests.Should().OnlyContain(r => r.Path == "/apis/apps/v1/namespaces/prod/deployments/web/status");
    }
}
