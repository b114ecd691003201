using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiSeedingTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(o => o with { SimulateDeployments = false });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task PutObject_NewObject_IsServedOverHttpWithServerMetadata()
    {
        var stored = _api.Server.PutObject(Objects.ConfigMap("seeded"));

        var response = await _api.GetAsync(Paths.ConfigMap("seeded"));

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Str("metadata.uid").Should().Be(Objects.Str(stored, "metadata.uid"));
        response.Str("metadata.resourceVersion").Should().Be(Objects.Str(stored, "metadata.resourceVersion"));
    }

    [Fact]
    public void PutObject_MissingNamespace_CreatesIt()
    {
        _api.Server.PutObject(Objects.ConfigMap("cm", ns: "team-a"));

        _api.Server.GetObject("v1", "Namespace", "team-a").Should().NotBeNull();
    }

    [Fact]
    public void PutObject_DeploymentWithStatus_KeepsTheStatus()
    {
        var deployment = Objects.Deployment("web");
        deployment["status"] = new JsonObject { ["readyReplicas"] = 2 };

        _api.Server.PutObject(deployment);

        Objects.Long(_api.Server.GetObject("apps/v1", "Deployment", "web"), "status.readyReplicas").Should().Be(2);
    }

    [Fact]
    public void PutObject_Replace_KeepsUidAndBumpsGenerationOnSpecChange()
    {
        var first = _api.Server.PutObject(Objects.Deployment("web", replicas: 1));

        var second = _api.Server.PutObject(Objects.Deployment("web", replicas: 4));

        Objects.Str(second, "metadata.uid").Should().Be(Objects.Str(first, "metadata.uid"));
        Objects.Long(second, "metadata.generation").Should().Be(2);
    }

    [Fact]
    public void PutObject_UnknownKind_ThrowsNamingTheKind()
    {
        var act = () => _api.Server.PutObject(Objects.Widget("w"));

        act.Should().Throw<ArgumentException>().WithMessage("*Widget*example.com/v1*");
    }

    [Fact]
    public void GetObject_Missing_ReturnsNull()
    {
        _api.Server.GetObject("apps/v1", "Deployment", "nope").Should().BeNull();
    }

    [Fact]
    public void ListObjects_ReturnsObjectsWithKindInNameOrder()
    {
        _api.Server.PutObject(Objects.ConfigMap("b"));
        _api.Server.PutObject(Objects.ConfigMap("a"));

        var list = _api.Server.ListObjects("v1", "ConfigMap", "default");

        list.Select(o => Objects.Str(o, "metadata.name")).Should().Equal("a", "b");
        list.Should().AllSatisfy(o => Objects.Str(o, "kind").Should().Be("ConfigMap"));
    }

    [Fact]
    public async Task DeleteObject_Existing_RemovesItAndWatchersSeeIt()
    {
        _api.Server.PutObject(Objects.ConfigMap("cm"));
        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&resourceVersion=" + _api.Server.CurrentResourceVersion);

        var deleted = _api.Server.DeleteObject("v1", "ConfigMap", "cm");
        var change = await watch.NextAsync();

        deleted.Should().BeTrue();
        Objects.Str(change, "type").Should().Be("DELETED");
        _api.Server.DeleteObject("v1", "ConfigMap", "cm").Should().BeFalse();
    }

    [Fact]
    public void BaseAddress_BeforeStart_Throws()
    {
        var server = new Canary.Testing.Kubernetes.FakeKubernetesApiServer();

        var act = () => server.BaseAddress;

        act.Should().Throw<InvalidOperationException>().WithMessage("*StartAsync*");
    }

    [Fact]
    public void BaseAddress_AfterStart_IsLoopback()
    {
        _api.Server.BaseAddress.Host.Should().Be("127.0.0.1");
        _api.Server.BaseAddress.Port.Should().BePositive();
    }
}
