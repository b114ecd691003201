using System.Net;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Client;

public sealed class KubernetesApiClientRequestTests
{
    private const string Deployment = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod","resourceVersion":"7"},"spec":{"replicas":2,"futureField":{"x":1}}}""";

    [Fact]
    public async Task GetAsync_NamespacedGroupResource_GetsApisUrl()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(Deployment));
        using var client = TestClients.Create(handler);

        var result = await client.GetAsync(ResourceType.Deployments, "prod", "web");

        handler.Requests.Should().ContainSingle();
        handler.Requests[0].Method.Should().Be(HttpMethod.Get);
        handler.Requests[0].PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web");
        result["spec"]!["futureField"]!["x"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task GetAsync_CoreResource_GetsApiV1Url()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"metadata":{"name":"web"}}"""));
        using var client = TestClients.Create(handler);

        await client.GetAsync(ResourceType.Services, "prod", "web");

        handler.Requests[0].PathAndQuery.Should().Be("/api/v1/namespaces/prod/services/web");
    }

    [Fact]
    public async Task GetAsync_ClusterScopedResource_GetsUrlWithoutNamespace()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"metadata":{"name":"prod"}}"""));
        using var client = TestClients.Create(handler);

        await client.GetAsync(ResourceType.Namespaces, null, "prod");

        handler.Requests[0].PathAndQuery.Should().Be("/api/v1/namespaces/prod");
    }

    [Fact]
    public async Task GetAsync_CustomResourceStatusSubresource_GetsStatusUrl()
    {
        var canaries = new ResourceType("flagger.app", "v1beta1", "canaries", true, "Canary");
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"metadata":{"name":"web"}}"""));
        using var client = TestClients.Create(handler);

        await client.GetStatusAsync(canaries, "prod", "web");

        handler.Requests[0].PathAndQuery.Should().Be("/apis/flagger.app/v1beta1/namespaces/prod/canaries/web/status");
    }

    [Fact]
    public async Task GetAsync_HostWithPathPrefix_KeepsPrefix()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"metadata":{"name":"web"}}"""));
        var configuration = new KubernetesClientConfiguration { Host = new Uri("https://rancher.test/k8s/clusters/c-1/") };
        using var client = TestClients.Create(handler, configuration);

        await client.GetAsync(ResourceType.Services, "prod", "web");

        handler.Requests[0].Uri.AbsoluteUri.Should().Be("https://rancher.test/k8s/clusters/c-1/api/v1/namespaces/prod/services/web");
    }

    [Fact]
    public async Task GetAsync_NamespacedResourceWithoutNamespace_ThrowsNamingNamespace()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));

        var act = () => client.GetAsync(ResourceType.Deployments, null, "web");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("namespace is required");
    }

    [Fact]
    public async Task GetAsync_ClusterScopedResourceWithNamespace_Throws()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));

        var act = () => client.GetAsync(ResourceType.Namespaces, "prod", "x");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("cluster-scoped");
    }

    [Fact]
    public async Task ListAsync_AllParameters_EscapesQueryString()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"kind":"DeploymentList","metadata":{"resourceVersion":"9"},"items":[]}"""));
        using var client = TestClients.Create(handler);

        await client.ListAsync(ResourceType.Deployments, "prod", new ListOptions
        {
            LabelSelector = "app=x,track!=canary",
            FieldSelector = "metadata.name=web",
            Limit = 50,
            Continue = "abc/def=",
            ResourceVersion = "0",
            ResourceVersionMatch = "NotOlderThan",
        });

        handler.Requests[0].PathAndQuery.Should().Be(
            "/apis/apps/v1/namespaces/prod/deployments?labelSelector=app%3Dx%2Ctrack%21%3Dcanary&fieldSelector=metadata.name%3Dweb" +
            "&limit=50&continue=abc%2Fdef%3D&resourceVersion=0&resourceVersionMatch=NotOlderThan");
    }

    [Fact]
    public async Task ListAsync_NoNamespace_ListsAcrossNamespaces()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("""{"items":[]}"""));
        using var client = TestClients.Create(handler);

        await client.ListAsync(ResourceType.Deployments, null);

        handler.Requests[0].PathAndQuery.Should().Be("/apis/apps/v1/deployments");
    }

    [Fact]
    public async Task ListAllAsync_ContinueTokens_FollowsEveryPageAndMergesItems()
    {
        var handler = new FakeKubeApiHandler(request => request.Query switch
        {
            var q when q.Contains("continue=p2", StringComparison.Ordinal) => FakeKubeApiHandler.Json(
                """{"metadata":{"resourceVersion":"20","continue":"p3"},"items":[{"metadata":{"name":"b"}}]}"""),
            var q when q.Contains("continue=p3", StringComparison.Ordinal) => FakeKubeApiHandler.Json(
                """{"metadata":{"resourceVersion":"20"},"items":[{"metadata":{"name":"c"}}]}"""),
            _ => FakeKubeApiHandler.Json("""{"metadata":{"resourceVersion":"20","continue":"p2","remainingItemCount":2},"items":[{"metadata":{"name":"a"}}]}"""),
        });
        using var client = TestClients.Create(handler);

        var list = await client.ListAllAsync(ResourceType.Pods, "prod", new ListOptions { Limit = 1, LabelSelector = "app=web" });

        list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Should().Equal("a", "b", "c");
        list["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("20");
        list["metadata"]!.AsObject().ContainsKey("continue").Should().BeFalse();
        handler.Requests.Should().HaveCount(3);
        handler.Requests.Should().OnlyContain(r => r.Query.Contains("labelSelector=app%3Dweb", StringComparison.Ordinal) &&
            r.Query.Contains("limit=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_Object_PostsJsonToCollection()
    {
        var handler = new FakeKubeApiHandler(request => FakeKubeApiHandler.Json(HttpStatusCode.Created, request.Body!));
        using var client = TestClients.Create(handler);
        var body = JsonNode.Parse("""{"metadata":{"name":"web"},"spec":{"replicas":1}}""")!.AsObject();

        var created = await client.CreateAsync(ResourceType.Deployments, "prod", body);

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Post);
        request.PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments");
        request.ContentType.Should().Be("application/json");
        var sent = JsonNode.Parse(request.Body!)!;
        sent["apiVersion"]!.GetValue<string>().Should().Be("apps/v1");
        sent["kind"]!.GetValue<string>().Should().Be("Deployment");
        sent["spec"]!["replicas"]!.GetValue<int>().Should().Be(1);
        created["metadata"]!["name"]!.GetValue<string>().Should().Be("web");
        body.ContainsKey("kind").Should().BeFalse("the caller's object is not changed");
    }

    [Fact]
    public async Task CreateAsync_NamespaceOnlyInBody_UsesBodyNamespace()
    {
        var handler = new FakeKubeApiHandler(request => FakeKubeApiHandler.Json(HttpStatusCode.Created, request.Body!));
        using var client = TestClients.Create(handler);

        await client.CreateAsync(ResourceType.ConfigMaps, null, JsonNode.Parse("""{"metadata":{"name":"c","namespace":"team"}}""")!.AsObject());

        handler.Requests[0].PathAndQuery.Should().Be("/api/v1/namespaces/team/configmaps");
    }

    [Fact]
    public async Task CreateAsync_BodyWithResourceVersion_ThrowsNamingField()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));

        var act = () => client.CreateAsync(ResourceType.ConfigMaps, "prod", JsonNode.Parse("""{"metadata":{"name":"c","resourceVersion":"3"}}""")!.AsObject());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("metadata.resourceVersion: must not be set");
    }

    [Fact]
    public async Task ReplaceAsync_ObjectWithResourceVersion_PutsWholeObject()
    {
        var handler = new FakeKubeApiHandler(request => FakeKubeApiHandler.Json(request.Body!));
        using var client = TestClients.Create(handler);
        var body = JsonNode.Parse(Deployment)!.AsObject();

        await client.ReplaceAsync(ResourceType.Deployments, "prod", "web", body);

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Put);
        request.PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web");
        request.ContentType.Should().Be("application/json");
        JsonNode.DeepEquals(JsonNode.Parse(request.Body!), body).Should().BeTrue();
    }

    [Fact]
    public async Task ReplaceStatusAsync_Object_PutsToStatusSubresource()
    {
        var handler = new FakeKubeApiHandler(request => FakeKubeApiHandler.Json(request.Body!));
        using var client = TestClients.Create(handler);

        await client.ReplaceStatusAsync(ResourceType.Deployments, "prod", "web", JsonNode.Parse(Deployment)!.AsObject());

        handler.Requests[0].Method.Should().Be(HttpMethod.Put);
        handler.Requests[0].PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web/status");
    }

    [Fact]
    public async Task ReplaceAsync_WithoutResourceVersion_ThrowsBeforeSending()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}"));
        using var client = TestClients.Create(handler);

        var act = () => client.ReplaceAsync(ResourceType.Deployments, "prod", "web", JsonNode.Parse("""{"metadata":{"name":"web"}}""")!.AsObject());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("metadata.resourceVersion: required");
        handler.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task ReplaceAsync_BodyNameDiffers_Throws()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));

        var act = () => client.ReplaceAsync(ResourceType.Deployments, "prod", "other", JsonNode.Parse(Deployment)!.AsObject());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("metadata.name:");
    }

    public static TheoryData<KubernetesPatchType, string, string> PatchTypes => new()
    {
        { KubernetesPatchType.JsonPatch, """[{"op":"replace","path":"/spec/replicas","value":3}]""", "application/json-patch+json" },
        { KubernetesPatchType.MergePatch, """{"spec":{"replicas":3}}""", "application/merge-patch+json" },
        { KubernetesPatchType.StrategicMergePatch, """{"spec":{"replicas":3}}""", "application/strategic-merge-patch+json" },
    };

    [Theory]
    [MemberData(nameof(PatchTypes))]
    public async Task PatchAsync_EachType_SendsItsContentTypeAndBody(KubernetesPatchType type, string body, string contentType)
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(Deployment));
        using var client = TestClients.Create(handler);

        await client.PatchAsync(ResourceType.Deployments, "prod", "web", new KubernetesPatch(type, JsonNode.Parse(body)!));

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Patch);
        request.PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web");
        request.ContentType.Should().Be(contentType);
        JsonNode.DeepEquals(JsonNode.Parse(request.Body!), JsonNode.Parse(body)).Should().BeTrue();
    }

    [Fact]
    public async Task PatchAsync_ApplyWithForce_SendsApplyContentTypeAndQuery()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(Deployment));
        using var client = TestClients.Create(handler);
        var applied = JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}}""")!.AsObject();

        await client.PatchAsync(
            ResourceType.Deployments, "prod", "web", KubernetesPatch.Apply(applied), new PatchOptions { FieldManager = "canary", Force = true });

        var request = handler.Requests.Single();
        request.ContentType.Should().Be("application/apply-patch+yaml");
        request.PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web?fieldManager=canary&force=true");
        JsonNode.DeepEquals(JsonNode.Parse(request.Body!), applied).Should().BeTrue();
    }

    [Fact]
    public async Task ApplyAsync_ObjectWithoutTypeInfo_FillsApiVersionAndKindAndTakesNameFromMetadata()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(Deployment));
        using var client = TestClients.Create(handler);

        await client.ApplyAsync(ResourceType.Deployments, JsonNode.Parse("""{"metadata":{"name":"web","namespace":"prod"}}""")!.AsObject(), "canary");

        var request = handler.Requests.Single();
        request.PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web?fieldManager=canary");
        var sent = JsonNode.Parse(request.Body!)!;
        sent["apiVersion"]!.GetValue<string>().Should().Be("apps/v1");
        sent["kind"]!.GetValue<string>().Should().Be("Deployment");
    }

    [Fact]
    public async Task PatchStatusAsync_MergePatch_PatchesStatusSubresource()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(Deployment));
        using var client = TestClients.Create(handler);

        await client.PatchStatusAsync(ResourceType.Deployments, "prod", "web", KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject() }));

        handler.Requests[0].PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web/status");
        handler.Requests[0].ContentType.Should().Be("application/merge-patch+json");
    }

    [Fact]
    public async Task PatchAsync_ApplyWithoutFieldManager_ThrowsNamingFieldManager()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));

        var act = () => client.PatchAsync(ResourceType.Deployments, "prod", "web", KubernetesPatch.Apply([]));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("FieldManager: required");
    }

    [Fact]
    public async Task PatchAsync_ForceOnMergePatch_ThrowsNamingForce()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));

        var act = () => client.PatchAsync(
            ResourceType.Deployments, "prod", "web", KubernetesPatch.Merge([]), new PatchOptions { FieldManager = "x", Force = true });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("Force: only valid");
    }

    [Fact]
    public void KubernetesPatch_JsonPatchWithObjectBody_Throws()
    {
        var act = () => new KubernetesPatch(KubernetesPatchType.JsonPatch, new JsonObject());

        act.Should().Throw<ArgumentException>().WithMessage("*JSON array*");
    }

    [Fact]
    public async Task DeleteAsync_WithOptions_SendsPropagationPolicyAndReturnsStatus()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(StatusBodies.DeleteSuccess));
        using var client = TestClients.Create(handler);

        var result = await client.DeleteAsync(
            ResourceType.Deployments, "prod", "web", new DeleteOptions { PropagationPolicy = PropagationPolicy.Foreground, GracePeriodSeconds = 0 });

        handler.Requests[0].Method.Should().Be(HttpMethod.Delete);
        handler.Requests[0].PathAndQuery.Should().Be("/apis/apps/v1/namespaces/prod/deployments/web?propagationPolicy=Foreground&gracePeriodSeconds=0");
        KubernetesStatus.FromJson(result).Status.Should().Be("Success");
    }

    [Fact]
    public async Task TryGetAsync_NotFound_ReturnsNull()
    {
        using var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(HttpStatusCode.NotFound, StatusBodies.NotFound)));

        var result = await client.TryGetAsync(ResourceType.Deployments, "prod", "web");

        result.Should().BeNull();
    }

    [Fact]
    public async Task SendAsync_AccessToken_SendsBearerHeaderAndUserAgent()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}"));
        using var client = TestClients.Create(handler);

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        handler.Requests[0].Authorization.Should().Be("Bearer test-token-123");
        handler.Requests[0].UserAgent.Should().Be("Canary/0.1");
    }

    [Fact]
    public async Task SendAsync_UsernameAndPassword_SendsBasicHeader()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}"));
        using var client = TestClients.Create(handler, new KubernetesClientConfiguration { Host = TestClients.Host, Username = "admin", Password = "s3cret" });

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        handler.Requests[0].Authorization.Should().Be("Basic " + Convert.ToBase64String("admin:s3cret"u8.ToArray()));
    }

    [Fact]
    public async Task SendAsync_CredentialProviderAndAccessToken_ProviderWins()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}"));
        var configuration = new KubernetesClientConfiguration
        {
            Host = TestClients.Host,
            AccessToken = "static-token",
            CredentialProvider = new FixedCredentialProvider("provided-token"),
        };
        using var client = TestClients.Create(handler, configuration);

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        handler.Requests[0].Authorization.Should().Be("Bearer provided-token");
    }

    [Fact]
    public async Task SendAsync_Unauthorized_InvalidatesProviderAndRetriesOnce()
    {
        var provider = new FixedCredentialProvider("first");
        var handler = FakeKubeApiHandler.Sequence(
            () => FakeKubeApiHandler.Json(HttpStatusCode.Unauthorized, StatusBodies.Unauthorized),
            () => FakeKubeApiHandler.Json("{}"));
        using var client = TestClients.Create(handler, new KubernetesClientConfiguration { Host = TestClients.Host, CredentialProvider = provider });
        provider.Next = "second";

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        provider.Invalidations.Should().Be(1);
        handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer first", "Bearer second");
    }

    [Fact]
    public async Task SendAsync_SuccessBodyNotJson_ThrowsKubernetesException()
    {
        var handler = new FakeKubeApiHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>hi</html>") });
        using var client = TestClients.Create(handler);

        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        (await act.Should().ThrowAsync<KubernetesException>()).Which.Message.Should().Contain("not a JSON object");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEveryProperty()
    {
        var options = new KubernetesClientOptions { MaxRetryAttempts = -1, RetryBaseDelay = TimeSpan.FromSeconds(-1), RequestTimeout = TimeSpan.Zero };

        var act = () => new KubernetesApiClient(new KubernetesClientConfiguration { Host = TestClients.Host }, options);

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("MaxRetryAttempts: must be between 0 and 20")
            .And.Contain("RetryBaseDelay: must be between 0 and 1 hour")
            .And.Contain("RequestTimeout: must be more than 10 milliseconds");
    }

    [Fact]
    public async Task Dispose_ThenRequest_ThrowsObjectDisposed()
    {
        var client = TestClients.Create(new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json("{}")));
        client.Dispose();

        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    private sealed class FixedCredentialProvider(string token) : KubernetesCredentialProvider
    {
        private string _current = token;

        public string? Next { get; set; }

        public int Invalidations { get; private set; }

        public override ValueTask<KubernetesCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new KubernetesCredentials(_current, null, null));

        public override void Invalidate()
        {
            Invalidations++;
            _current = Next ?? _current;
        }
    }
}
