using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiGarbageCollectionTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Delete_Owner_DeletesDependentsInTheBackground()
    {
        var owner = await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
        await CreateDependentAsync("child", owner);

        var response = await _api.DeleteAsync(Paths.Deployment("web"));

        response.Status.Should().Be(HttpStatusCode.OK);
        (await _api.GetAsync(Paths.ConfigMap("child"))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_Owner_CollectsDependentsTransitively()
    {
        var owner = await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
        var child = await CreateDependentAsync("child", owner);
        await CreateDependentAsync("grandchild", child);

        await _api.DeleteAsync(Paths.Deployment("web"));

        (await _api.GetAsync(Paths.ConfigMap("grandchild"))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_OneOfTwoOwners_KeepsTheDependent()
    {
        var first = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("first"));
        var second = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("second"));
        var body = Objects.ConfigMap("shared");
        body["metadata"]!["ownerReferences"] = new JsonArray(Objects.OwnerReference(first), Objects.OwnerReference(second));
        await _api.CreateAsync(Paths.ConfigMaps(), body);

        await _api.DeleteAsync(Paths.ConfigMap("first"));

        (await _api.GetAsync(Paths.ConfigMap("shared"))).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_OrphanPolicy_KeepsDependentsAndRemovesTheirOwnerReference()
    {
        var owner = await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
        await CreateDependentAsync("child", owner);

        await _api.DeleteAsync(Paths.Deployment("web") + "?propagationPolicy=Orphan");
        var child = await _api.GetAsync(Paths.ConfigMap("child"));

        child.Status.Should().Be(HttpStatusCode.OK);
        child.Node("metadata.ownerReferences").Should().BeNull();
    }

    [Fact]
    public async Task Delete_ForegroundPolicyInBody_DeletesDependentsAndOwner()
    {
        var owner = await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
        await CreateDependentAsync("child", owner);
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Foreground" };

        await _api.DeleteAsync(Paths.Deployment("web"), options);

        (await _api.GetAsync(Paths.ConfigMap("child"))).Status.Should().Be(HttpStatusCode.NotFound);
        (await _api.GetAsync(Paths.Deployment("web"))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_UnknownPropagationPolicy_Returns422()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));

        var response = await _api.DeleteAsync(Paths.ConfigMap("cm") + "?propagationPolicy=Sideways");

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Delete_Namespace_DeletesEverythingInIt()
    {
        _api.Server.CreateNamespace("temp");
        await _api.CreateAsync(Paths.ConfigMaps("temp"), Objects.ConfigMap("cm"));

        var response = await _api.DeleteAsync("/api/v1/namespaces/temp");

        response.Str("kind").Should().Be("Namespace");
        response.Str("status.phase").Should().Be("Terminating");
        (await _api.GetAsync(Paths.ConfigMap("cm", "temp"))).Status.Should().Be(HttpStatusCode.NotFound);
        (await _api.GetAsync("/api/v1/namespaces/temp")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyMatches()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("a", labels: new JsonObject { ["canary"] = "true" }));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("b"));

        var response = await _api.DeleteAsync(Paths.ConfigMaps() + "?labelSelector=canary%3Dtrue");

        response.Status.Should().Be(HttpStatusCode.OK);
        (await _api.GetAsync(Paths.ConfigMap("a"))).Status.Should().Be(HttpStatusCode.NotFound);
        (await _api.GetAsync(Paths.ConfigMap("b"))).Status.Should().Be(HttpStatusCode.OK);
    }

    private async Task<JsonObject> CreateDependentAsync(string name, JsonObject owner)
    {
        var body = Objects.ConfigMap(name);
        body["metadata"]!["ownerReferences"] = new JsonArray(Objects.OwnerReference(owner));
        return await _api.CreateAsync(Paths.ConfigMaps(), body);
    }
}
