using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiDiscoveryTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Version_ReportsAKubernetesVersion()
    {
        var response = await _api.GetAsync("/version");

        response.Str("major").Should().Be("1");
        response.Str("gitVersion").Should().Be("v1.31.0");
    }

    [Fact]
    public async Task Api_ListsTheCoreVersion()
    {
        var response = await _api.GetAsync("/api");

        response.Str("kind").Should().Be("APIVersions");
        response.Str("versions.0").Should().Be("v1");
    }

    [Fact]
    public async Task Apis_ListsEveryGroupWithPreferredVersion()
    {
        var response = await _api.GetAsync("/apis");

        var groups = response.Node("groups")!.AsArray().Select(g => Objects.Str(g, "name")).ToList();
        groups.Should().Contain(["apps", "autoscaling", "networking.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io"]);
        var apps = response.Node("groups")!.AsArray().Single(g => Objects.Str(g, "name") == "apps");
        Objects.Str(apps, "preferredVersion.groupVersion").Should().Be("apps/v1");
    }

    [Fact]
    public async Task CoreResourceList_HasNamespacedFlagsKindsAndVerbs()
    {
        var response = await _api.GetAsync("/api/v1");

        response.Str("groupVersion").Should().Be("v1");
        var resources = Resources(response);
        foreach (var name in new[] { "namespaces", "pods", "services", "configmaps", "secrets", "events", "endpoints" })
        {
            resources.Should().ContainKey(name);
        }

        Objects.Str(resources["configmaps"], "kind").Should().Be("ConfigMap");
        resources["namespaces"]["namespaced"]!.GetValue<bool>().Should().BeFalse();
        resources["configmaps"]["namespaced"]!.GetValue<bool>().Should().BeTrue();
        resources["configmaps"]["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain(["get", "list", "watch", "create", "update", "patch", "delete"]);
    }

    [Fact]
    public async Task AppsResourceList_IncludesStatusAndScaleSubresources()
    {
        var response = await _api.GetAsync("/apis/apps/v1");

        var resources = Resources(response);
        Objects.Str(resources["deployments/status"], "kind").Should().Be("Deployment");
        Objects.Str(resources["deployments/scale"], "kind").Should().Be("Scale");
        Objects.Str(resources["deployments/scale"], "group").Should().Be("autoscaling");
        resources["deployments"]["shortNames"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain("deploy");
    }

    [Fact]
    public async Task RegisterCustomResource_AppearsInDiscoveryAndIsServed()
    {
        _api.Server.RegisterCustomResource("traefik.io", "v1alpha1", "traefikservices", "TraefikService", namespaced: true, hasStatusSubresource: false);

        var groups = await _api.GetAsync("/apis");
        var list = await _api.GetAsync("/apis/traefik.io/v1alpha1");
        var created = await _api.PostAsync("/apis/traefik.io/v1alpha1/namespaces/default/traefikservices",
            new JsonObject { ["apiVersion"] = "traefik.io/v1alpha1", ["kind"] = "TraefikService", ["metadata"] = new JsonObject { ["name"] = "wrr" } });

        groups.Node("groups")!.AsArray().Select(g => Objects.Str(g, "name")).Should().Contain("traefik.io");
        Resources(list).Should().ContainKey("traefikservices").And.NotContainKey("traefikservices/status");
        created.Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreateCustomResourceDefinition_RegistersItsServedVersions()
    {
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"trafficsplits.split.smi-spec.io"},
             "spec":{"group":"split.smi-spec.io","scope":"Namespaced",
                     "names":{"plural":"trafficsplits","singular":"trafficsplit","kind":"TrafficSplit"},
                     "versions":[{"name":"v1alpha2","served":true,"storage":true,"subresources":{"status":{}}}]}}
            """)!;

        var created = await _api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        var list = await _api.GetAsync("/apis/split.smi-spec.io/v1alpha2");

        created.Status.Should().Be(HttpStatusCode.Created);
        created.Node("status.conditions")!.AsArray().Select(c => Objects.Str(c, "type")).Should().Contain("Established");
        Resources(list).Should().ContainKeys("trafficsplits", "trafficsplits/status");
    }

    [Fact]
    public async Task OpenApi_IsNotServed()
    {
        var response = await _api.GetAsync("/openapi/v2");

        response.Status.Should().Be(HttpStatusCode.NotFound);
    }

    private static Dictionary<string, JsonObject> Resources(ApiResponse response) =>
        response.Node("resources")!.AsArray().OfType<JsonObject>().ToDictionary(r => Objects.Str(r, "name")!);
}
