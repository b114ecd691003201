using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.Smi;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Tests.Routing.Smi;

public sealed class LinkerdRouterTests : IAsyncLifetime
{
    private RoutingCluster _cluster = null!;
    private LinkerdRouter _router = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _cluster.SeedWorkloads();
        _cluster.SeedServices();
        _router = new LinkerdRouter(_cluster.Api);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task SetRoutesAsync_TrafficSplitServed_WritesTrafficSplit()
    {
        _cluster.Server.RegisterCustomResource("split.smi-spec.io", "v1alpha2", "trafficsplits", "TrafficSplit");
        RegisterGatewayRoutes();

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        _cluster.Writes().Should().Equal("POST /apis/split.smi-spec.io/v1alpha2/namespaces/test/trafficsplits");
        _cluster.Require("split.smi-spec.io/v1alpha2", "TrafficSplit", "podinfo")["spec"]!["backends"].ShouldEqualJson("""
            [{"service":"podinfo-canary","weight":10},{"service":"podinfo-primary","weight":90}]
            """);
    }

    [Fact]
    public async Task ReconcileAsync_NoTrafficSplitApi_CreatesHttpRouteOnApexService()
    {
        RegisterGatewayRoutes();

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal("POST /apis/gateway.networking.k8s.io/v1/namespaces/test/httproutes");
        _cluster.Require("gateway.networking.k8s.io/v1", "HTTPRoute", "podinfo")["spec"].ShouldEqualJson("""
            {"parentRefs":[{"group":"","kind":"Service","name":"podinfo","port":9898}],
             "rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"}}],
               "backendRefs":[
                 {"group":"","kind":"Service","name":"podinfo-primary","port":9898,"weight":100},
                 {"group":"","kind":"Service","name":"podinfo-canary","port":9898,"weight":0}]}]}
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_HttpRouteNotAccepted_ThrowsTransientFailureUntilAccepted()
    {
        RegisterGatewayRoutes();
        await _router.ReconcileAsync(Canary(), default);

        var act = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.IsTransient.Should().BeTrue();
        Accept();
        (await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default)).Should().Be(TrafficRoutes.ForCanary(20));
        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(20));
    }

    [Fact]
    public async Task ReconcileAsync_OnlyLinkerdPolicyApi_UsesCoreGroupParent()
    {
        _cluster.Server.RegisterCustomResource("policy.linkerd.io", "v1beta3", "httproutes", "HTTPRoute", hasStatusSubresource: true);

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Require("policy.linkerd.io/v1beta3", "HTTPRoute", "podinfo")["spec"]!["parentRefs"].ShouldEqualJson("""
            [{"group":"core","kind":"Service","name":"podinfo","port":9898}]
            """);
    }

    [Fact]
    public async Task ReconcileAsync_NoApi_FailsNamingBothOptions()
    {
        var act = async () => await _router.ReconcileAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.Message.Should().Be(
            "provider \"linkerd\": the cluster serves no TrafficSplit API (split.smi-spec.io v1alpha1 to v1alpha4) and no HTTPRoute API " +
            "(gateway.networking.k8s.io or policy.linkerd.io); install the SMI CRDs (linkerd-smi) or the Gateway API CRDs");
    }

    private static CanaryResource Canary() => RoutingCluster.Canary(TrafficProviders.Linkerd);

    private void RegisterGatewayRoutes() =>
        _cluster.Server.RegisterCustomResource("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", hasStatusSubresource: true);

    /// <summary>Acts as Linkerd's policy controller: accepts the route's current generation.</summary>
    private void Accept()
    {
        var route = _cluster.Require("gateway.networking.k8s.io/v1", "HTTPRoute", "podinfo");
        var generation = long.Parse(route["metadata"]!["generation"]!.ToJsonString(), CultureInfo.InvariantCulture);
        route["status"] = JsonNode.Parse($$"""
            {"parents":[{"parentRef":{"group":"","kind":"Service","name":"podinfo"},"controllerName":"linkerd.io/policy-controller",
              "conditions":[{"type":"Accepted","status":"True","reason":"Accepted","observedGeneration":{{generation}} }]}]}
            """);
        _cluster.Server.PutObject(route);
    }
}
