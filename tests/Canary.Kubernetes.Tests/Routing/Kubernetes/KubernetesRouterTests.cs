using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.Kubernetes;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Tests.Routing.Kubernetes;

public sealed class KubernetesRouterTests : IAsyncLifetime
{
    private RoutingCluster _cluster = null!;
    private KubernetesRouter _router = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _router = new KubernetesRouter(_cluster.Api);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_PrimaryExists_CreatesApexServiceOnPrimaryPods()
    {
        _cluster.SeedWorkloads();

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal("POST /api/v1/namespaces/test/services");
        var apex = _cluster.Require("v1", "Service", "podinfo");
        apex["metadata"]!["labels"].ShouldEqualJson("""{"app.kubernetes.io/managed-by":"canary"}""");
        apex["spec"]!["selector"].ShouldEqualJson("""{"app":"podinfo-primary"}""");
        apex["spec"]!["ports"].ShouldEqualJson("""[{"name":"http","protocol":"TCP","port":9898,"targetPort":"http"}]""");
    }

    [Fact]
    public async Task ReconcileAsync_NoPrimaryYet_WritesNothing()
    {
        _cluster.SeedDeployment("podinfo", 1, 1, uid: RoutingCluster.TargetUid);

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_ApexSelectingOtherPods_PointsItAtPrimaryOnly()
    {
        _cluster.SeedWorkloads();
        _cluster.SeedService("podinfo", new Dictionary<string, string> { ["app"] = "podinfo", ["tier"] = "web" });
        await _cluster.Api.PatchAsync(ResourceType.Services, RoutingCluster.Namespace, "podinfo",
            KubernetesPatch.Merge(JsonNode.Parse("""{"metadata":{"annotations":{"team":"web"}}}""")!.AsObject()));

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        var apex = _cluster.Require("v1", "Service", "podinfo");
        apex["spec"]!["selector"].ShouldEqualJson("""{"app":"podinfo-primary"}""");
        apex["metadata"]!["annotations"].ShouldEqualJson("""{"team":"web"}""");
    }

    [Fact]
    public async Task SetRoutesAsync_AnyWeight_ReportsPrimaryOnlyAndWritesNothingTwice()
    {
        _cluster.SeedWorkloads();
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);
        _cluster.ClearRequests();

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(50), default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        _cluster.Writes().Should().BeEmpty();
        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Fact]
    public async Task SetRoutesAsync_NoPrimaryYet_ThrowsTransientFailure()
    {
        _cluster.SeedDeployment("podinfo", 1, 1, uid: RoutingCluster.TargetUid);

        var act = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        var failure = (await act.Should().ThrowAsync<TrafficRouterException>()).Which;
        failure.IsTransient.Should().BeTrue();
        failure.Message.Should().Be("Deployment \"podinfo-primary\" in namespace \"test\" does not exist yet");
    }

    private static CanaryResource Canary() =>
        RoutingCluster.Canary(TrafficProviders.Kubernetes, s => s with { Service = s.Service with { TargetPort = "http" } });
}
