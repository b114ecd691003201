using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>The OpenAPI v3 documents kubectl reads before it validates on the server, and the listening port.</summary>
public sealed class FakeApiOpenApiTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task OpenApiV3_Root_ListsEveryGroupVersionWithAHashedUrl()
    {
        _api.Server.RegisterCustomResource("canary.dev", "v1", "canaries", "Canary");

        var response = await _api.GetAsync("/openapi/v3");

        var paths = response.Node("paths")!.AsObject();
        paths.Select(p => p.Key).Should().Contain(["api/v1", "apis/apps/v1", "apis/canary.dev/v1"]);
        Objects.Str(paths["apis/apps/v1"], "serverRelativeURL").Should().MatchRegex("^/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{16}$");
    }

    [Fact]
    public async Task OpenApiV3_GroupVersion_DeclaresFieldValidationOnEachTypesPatch()
    {
        var response = await _api.GetAsync("/openapi/v3/apis/apps/v1");

        var patch = response.Node("paths")!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Objects.Str(patch, "x-kubernetes-group-version-kind.kind").Should().Be("Deployment");
        patch["parameters"]!.AsArray().Select(p => Objects.Str(p, "name")).Should().Contain("fieldValidation");
    }

    [Fact]
    public async Task OpenApiV3_CustomResourceRegisteredLater_ChangesTheHash()
    {
        var before = Objects.Str((await _api.GetAsync("/openapi/v3")).Node("paths")!["apis/apps/v1"], "serverRelativeURL");
        _api.Server.RegisterCustomResource("apps", "v1", "widgets", "Widget");

        var after = Objects.Str((await _api.GetAsync("/openapi/v3")).Node("paths")!["apis/apps/v1"], "serverRelativeURL");

        after.Should().NotBe(before, "kubectl caches a document by its hash");
    }

    [Fact]
    public async Task OpenApiV3_UnknownGroupVersion_IsNotFound()
    {
        var response = await _api.GetAsync("/openapi/v3/apis/nope.example/v1");

        response.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [KubectlFact]
    public async Task Kubectl_ApplyWithValidation_ValidatesOnTheServerAndAppliesTwice()
    {
        _api.Server.RegisterCustomResource("canary.dev", "v1", "canaries", "Canary", hasStatusSubresource: true);
        using var kubectl = KubectlRunner.Create(_api.Server.CreateKubeconfig());
        var manifest = kubectl.WriteFile("app.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              mode: stable
            ---
            apiVersion: canary.dev/v1
            kind: Canary
            metadata:
              name: podinfo
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
            """);

        var created = await kubectl.RunAsync("apply", "-f", manifest);
        var again = await kubectl.RunAsync("apply", "-f", manifest);

        created.ExitCode.Should().Be(0, created.ToString());
        created.StdOut.Should().Contain("configmap/settings created").And.Contain("canary.canary.dev/podinfo created");
        again.ExitCode.Should().Be(0, again.ToString());
        again.StdOut.Should().Contain("configmap/settings unchanged");
        _api.Server.Requests.Should().Contain(r => r.Method == "POST" && r.Query.Contains("fieldValidation=Strict", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_WithAPort_ListensOnIt()
    {
        var port = FreePort();
        await using var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { Port = port });

        await server.StartAsync();

        server.BaseAddress.Port.Should().Be(port);
    }

    [Fact]
    public void Constructor_PortOutOfRange_Throws()
    {
        var act = () => new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { Port = 70000 });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Port*");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
