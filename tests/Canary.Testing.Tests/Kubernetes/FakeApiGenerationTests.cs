using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiGenerationTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(o => o with { SimulateDeployments = false });
        _api.Server.RegisterCustomResource("example.com", "v1", "widgets", "Widget", namespaced: true, hasStatusSubresource: true);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Patch_SpecChange_BumpsGeneration()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));

        var response = await _api.PatchAsync(Paths.Deployment("web"), "application/merge-patch+json", """{"spec":{"replicas":5}}""");

        response.Long("metadata.generation").Should().Be(2);
    }

    [Fact]
    public async Task Patch_LabelChange_KeepsGeneration()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));

        var response = await _api.PatchAsync(Paths.Deployment("web"), "application/merge-patch+json", """{"metadata":{"labels":{"team":"a"}}}""");

        response.Long("metadata.generation").Should().Be(1);
        response.Str("metadata.labels.team").Should().Be("a");
    }

    [Fact]
    public async Task Patch_DeploymentAnnotationChange_BumpsGeneration()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));

        var response = await _api.PatchAsync(Paths.Deployment("web"), "application/merge-patch+json", """{"metadata":{"annotations":{"canary/weight":"10"}}}""");

        response.Long("metadata.generation").Should().Be(2);
    }

    [Fact]
    public async Task Patch_IngressAnnotationChange_KeepsGeneration()
    {
        var ingress = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["ingressClassName"] = "nginx" },
        };
        await _api.CreateAsync("/apis/networking.k8s.io/v1/namespaces/default/ingresses", ingress);

        var response = await _api.PatchAsync("/apis/networking.k8s.io/v1/namespaces/default/ingresses/web", "application/merge-patch+json",
            """{"metadata":{"annotations":{"nginx.ingress.kubernetes.io/canary-weight":"20"}}}""");

        response.Long("metadata.generation").Should().Be(1);
    }

    [Fact]
    public async Task Put_MainResource_IgnoresStatusFromTheBody()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
        var current = (await _api.GetAsync(Paths.Deployment("web"))).Body;
        current["status"] = new JsonObject { ["readyReplicas"] = 99 };

        var response = await _api.PutAsync(Paths.Deployment("web"), current);

        response.Node("status")!.ToJsonString().Should().Be("{}");
    }

    [Fact]
    public async Task Put_StatusSubresource_ChangesOnlyStatus()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 2));
        var current = (await _api.GetAsync(Paths.Deployment("web"))).Body;
        current["spec"]!["replicas"] = 9;
        current["metadata"]!["labels"] = new JsonObject { ["sneaky"] = "yes" };
        current["status"] = new JsonObject { ["readyReplicas"] = 2 };

        var response = await _api.PutAsync(Paths.Deployment("web") + "/status", current);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Long("status.readyReplicas").Should().Be(2);
        response.Long("spec.replicas").Should().Be(2);
        response.Node("metadata.labels").Should().BeNull();
        response.Long("metadata.generation").Should().Be(1);
    }

    [Fact]
    public async Task Patch_StatusSubresource_ChangesOnlyStatusAndKeepsGeneration()
    {
        await _api.CreateAsync(Paths.Widgets(), Objects.Widget("w"));

        var response = await _api.PatchAsync(Paths.Widget("w") + "/status", "application/merge-patch+json",
            """{"spec":{"size":"huge"},"status":{"phase":"Ready"}}""");

        response.Str("status.phase").Should().Be("Ready");
        response.Str("spec.size").Should().Be("small");
        response.Long("metadata.generation").Should().Be(1);
    }

    [Fact]
    public async Task Patch_CustomResourceSpecChange_BumpsGenerationAndDropsStatusWrites()
    {
        await _api.CreateAsync(Paths.Widgets(), Objects.Widget("w"));

        var response = await _api.PatchAsync(Paths.Widget("w"), "application/merge-patch+json",
            """{"spec":{"size":"large"},"status":{"phase":"Ignored"}}""");

        response.Long("metadata.generation").Should().Be(2);
        response.Node("status").Should().BeNull();
    }

    [Fact]
    public async Task Get_StatusSubresourceOfKindWithoutOne_Returns404()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));

        var response = await _api.GetAsync(Paths.ConfigMap("cm") + "/status");

        response.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_Scale_ReflectsDeploymentReplicas()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));

        var response = await _api.GetAsync(Paths.Deployment("web") + "/scale");

        response.Str("kind").Should().Be("Scale");
        response.Str("apiVersion").Should().Be("autoscaling/v1");
        response.Long("spec.replicas").Should().Be(3);
        response.Str("status.selector").Should().Be("app=web");
    }

    [Fact]
    public async Task Patch_Scale_SetsDeploymentReplicasAndGeneration()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));

        var response = await _api.PatchAsync(Paths.Deployment("web") + "/scale", "application/merge-patch+json", """{"spec":{"replicas":0}}""");
        var deployment = await _api.GetAsync(Paths.Deployment("web"));

        response.Long("spec.replicas").Should().Be(0);
        deployment.Long("spec.replicas").Should().Be(0);
        deployment.Long("metadata.generation").Should().Be(2);
    }
}
