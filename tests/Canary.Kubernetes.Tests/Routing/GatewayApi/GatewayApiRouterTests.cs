using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.GatewayApi;
using Canary.Model;
using Canary.Resilience;
using Canary.Routing;

namespace Canary.Kubernetes.Tests.Routing.GatewayApi;

public sealed class GatewayApiRouterTests : IAsyncLifetime
{
    private const string V1 = "gateway.networking.k8s.io/v1";
    private const string HttpRoutes = "/apis/gateway.networking.k8s.io/v1/namespaces/test/httproutes";
    private RoutingCluster _cluster = null!;
    private GatewayApiRouter _router = null!;
    private bool _registered;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _cluster.SeedWorkloads();
        _cluster.SeedServices();
        _router = new GatewayApiRouter(_cluster.Api);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_FirstUse_CreatesHttpRouteToPrimary()
    {
        RegisterRoutes("v1");

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal($"POST {HttpRoutes}");
        _cluster.Require(V1, "HTTPRoute", "podinfo").ShouldEqualWrittenObject($$"""
            {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute",
             "metadata":{"name":"podinfo","namespace":"test","labels":{"app.kubernetes.io/managed-by":"canary"},
               "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"podinfo","uid":"{{RoutingCluster.TargetUid}}"}]},
             "spec":{
               "parentRefs":[{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"public","namespace":"gateways"}],
               "hostnames":["app.example.com"],
               "rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"} }],
                 "backendRefs":[
                   {"group":"","kind":"Service","name":"podinfo-primary","port":9898,"weight":100},
                   {"group":"","kind":"Service","name":"podinfo-canary","port":9898,"weight":0}]}]} }
            """);
    }

    [Fact]
    public async Task ReconcileAsync_NoGatewayRefs_FailsNamingTheField()
    {
        RegisterRoutes("v1");

        var act = async () => await _router.ReconcileAsync(Canary(s => s with { Service = s.Service with { GatewayRefs = [] } }), default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().Be("spec.service.gatewayRefs: is required by provider \"gatewayapi\"");
    }

    [Fact]
    public async Task SetRoutesAsync_NewWeightNotYetAccepted_IsAWaitThatNeverOpensTheCircuit()
    {
        RegisterRoutes("v1");
        await _router.ReconcileAsync(Canary(), default);
        Accept("podinfo");

        var act = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        TransientFailures.IsPending((await act.Should().ThrowAsync<TrafficRouterException>()).Which).Should().BeTrue();
    }

    [Fact]
    public async Task SetRoutesAsync_NewWeightNotYetAccepted_ThrowsTransientFailure()
    {
        RegisterRoutes("v1");
        await _router.ReconcileAsync(Canary(), default);
        Accept("podinfo");

        var act = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        var failure = (await act.Should().ThrowAsync<TrafficRouterException>()).Which;
        failure.IsTransient.Should().BeTrue();
        TransientFailures.IsTransient(failure).Should().BeTrue();
        failure.Message.Should().Be(
            "HTTPRoute \"podinfo\" (gateway.networking.k8s.io/v1) in namespace \"test\" is not in effect yet: " +
            "parent \"public\" has not observed generation 2 yet (observed 1)");
        Weights().Should().Equal(90, 10);
    }

    [Fact]
    public async Task SetRoutesAsync_RetriedAfterAcceptance_ReportsWeightsWithoutWriting()
    {
        RegisterRoutes("v1");
        await _router.ReconcileAsync(Canary(), default);
        var first = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);
        await first.Should().ThrowAsync<TrafficRouterException>();
        Accept("podinfo");
        _cluster.ClearRequests();

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_RejectedByGateway_ThrowsTransientFailureWithReason()
    {
        RegisterRoutes("v1");
        await _router.ReconcileAsync(Canary(), default);
        Accept("podinfo", status: "False", reason: "NotAllowedByListeners");

        var act = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().EndWith("parent \"public\" did not accept it (NotAllowedByListeners: listener does not allow the route)");
    }

    [Fact]
    public async Task SetRoutesAsync_NoParentStatus_ThrowsTransientFailure()
    {
        RegisterRoutes("v1");

        var act = async () => await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().EndWith("no parent has reported on generation 1 yet");
    }

    [Fact]
    public async Task GetRoutesAsync_NotAccepted_ThrowsTransientFailure()
    {
        RegisterRoutes("v1");
        await _router.ReconcileAsync(Canary(), default);

        var act = async () => await _router.GetRoutesAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.IsTransient.Should().BeTrue();
    }

    [Theory]
    [InlineData(30)]
    [InlineData(100)]
    public async Task GetRoutesAsync_Accepted_ReportsWeights(int weight)
    {
        await SetAndAcceptAsync(Canary(), TrafficRoutes.ForCanary(weight));

        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(weight));
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterWeight_RoutesEverythingToPrimary()
    {
        await SetAndAcceptAsync(Canary(), TrafficRoutes.ForCanary(50));

        var achieved = await SetAndAcceptAsync(Canary(), TrafficRoutes.PrimaryOnly);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        Weights().Should().Equal(100, 0);
    }

    [Fact]
    public async Task SetRoutesAsync_HeaderMatches_WritesMatchRuleThenPrimaryRule()
    {
        var canary = Canary(s => s with
        {
            Analysis = new AnalysisSpec
            {
                Iterations = 10,
                Match =
                [
                    new HttpMatch
                    {
                        Headers = new Dictionary<string, StringMatch>
                        {
                            ["x-canary"] = new(StringMatchKind.Exact, "insider"),
                            ["user-agent"] = new(StringMatchKind.Prefix, "Mozilla/5.0 (X11"),
                        },
                    },
                    RoutingCluster.Header("cookie", StringMatchKind.Regex, "^(.*?;)?(canary=always)(;.*)?$"),
                ],
            },
        });

        var achieved = await SetAndAcceptAsync(canary, TrafficRoutes.CanaryOnly);

        achieved.Should().Be(TrafficRoutes.CanaryOnly);
        Route()["spec"]!["rules"].ShouldEqualJson("""
            [{"matches":[
                {"path":{"type":"PathPrefix","value":"/"},"headers":[
                  {"type":"RegularExpression","name":"user-agent","value":"^Mozilla/5\\.0 \\(X11.*"},
                  {"type":"Exact","name":"x-canary","value":"insider"}]},
                {"path":{"type":"PathPrefix","value":"/"},"headers":[
                  {"type":"RegularExpression","name":"cookie","value":"^(.*?;)?(canary=always)(;.*)?$"}]}],
              "backendRefs":[
                {"group":"","kind":"Service","name":"podinfo-primary","port":9898,"weight":0},
                {"group":"","kind":"Service","name":"podinfo-canary","port":9898,"weight":100}]},
             {"matches":[{"path":{"type":"PathPrefix","value":"/"}}],
              "backendRefs":[{"group":"","kind":"Service","name":"podinfo-primary","port":9898,"weight":100}]}]
            """);
        (await _router.GetRoutesAsync(canary, default)).Should().Be(TrafficRoutes.CanaryOnly);
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterABTest_KeepsMatchRuleOnPrimary()
    {
        var canary = Canary(s => s with
        {
            Analysis = new AnalysisSpec { Iterations = 10, Match = [RoutingCluster.Header("x-canary", StringMatchKind.Exact, "insider")] },
        });
        await SetAndAcceptAsync(canary, TrafficRoutes.CanaryOnly);

        await SetAndAcceptAsync(canary, TrafficRoutes.PrimaryOnly);

        Weights().Should().Equal(100, 0);
        (await _router.GetRoutesAsync(canary, default)).Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Fact]
    public async Task SetRoutesAsync_Mirrored_AddsRequestMirrorFilter()
    {
        var canary = Canary(s => s with { Analysis = s.Analysis with { Mirror = true, MirrorWeight = 20 } });

        var achieved = await SetAndAcceptAsync(canary, TrafficRoutes.PrimaryOnly with { Mirrored = true });

        achieved.Should().Be(TrafficRoutes.PrimaryOnly with { Mirrored = true });
        Route()["spec"]!["rules"]![0]!["filters"].ShouldEqualJson("""
            [{"type":"RequestMirror","requestMirror":{
               "backendRef":{"group":"","kind":"Service","name":"podinfo-canary","port":9898},"percent":20}}]
            """);
        (await _router.GetRoutesAsync(canary, default)).Should().Be(TrafficRoutes.PrimaryOnly with { Mirrored = true });
    }

    [Fact]
    public async Task SetRoutesAsync_NotMirroredAfterMirroring_RemovesFilter()
    {
        await SetAndAcceptAsync(Canary(), TrafficRoutes.PrimaryOnly with { Mirrored = true });

        await SetAndAcceptAsync(Canary(), TrafficRoutes.CanaryOnly);

        Route()["spec"]!["rules"]![0]!.AsObject().ContainsKey("filters").Should().BeFalse();
    }

    [Fact]
    public async Task SetRoutesAsync_UsersMetadataAndOtherSpecFields_Survive()
    {
        await SetAndAcceptAsync(Canary(), TrafficRoutes.PrimaryOnly);
        var routes = new ResourceType("gateway.networking.k8s.io", "v1", "httproutes", true, "HTTPRoute");
        await _cluster.Api.PatchAsync(routes, RoutingCluster.Namespace, "podinfo", KubernetesPatch.Merge(JsonNode.Parse(
            """{"metadata":{"annotations":{"team":"web"}},"spec":{"useDefaultGateways":"All"}}""")!.AsObject()));

        await SetAndAcceptAsync(Canary(), TrafficRoutes.ForCanary(20));

        var route = Route();
        route["metadata"]!["annotations"].ShouldEqualJson("""{"team":"web"}""");
        route["spec"]!["useDefaultGateways"]!.GetValue<string>().Should().Be("All");
        Weights().Should().Equal(80, 20);
    }

    [Fact]
    public async Task ReconcileAsync_AfterWeight_KeepsWeightsAndWritesNothing()
    {
        await SetAndAcceptAsync(Canary(), TrafficRoutes.ForCanary(40));
        _cluster.ClearRequests();

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().BeEmpty();
        Weights().Should().Equal(60, 40);
    }

    [Fact]
    public async Task ReconcileAsync_PinnedV1Beta1_WritesV1Beta1()
    {
        RegisterRoutes("v1");
        RegisterRoutes("v1beta1");

        await _router.ReconcileAsync(Canary(s => s with { Provider = "gatewayapi:v1beta1" }), default);

        _cluster.Writes().Should().Equal("POST /apis/gateway.networking.k8s.io/v1beta1/namespaces/test/httproutes");
        _cluster.Get("gateway.networking.k8s.io/v1beta1", "HTTPRoute", "podinfo")!["apiVersion"]!.GetValue<string>()
            .Should().Be("gateway.networking.k8s.io/v1beta1");
    }

    [Fact]
    public async Task ReconcileAsync_OnlyV1Beta1Served_DiscoversIt()
    {
        RegisterRoutes("v1beta1");

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal("POST /apis/gateway.networking.k8s.io/v1beta1/namespaces/test/httproutes");
    }

    [Fact]
    public async Task ReconcileAsync_UnknownPinnedVersion_FailsNamingProvider()
    {
        var act = async () => await _router.ReconcileAsync(Canary(s => s with { Provider = "gatewayapi:v2" }), default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().Be("spec.provider: \"gatewayapi:v2\" names an unknown version (known: gatewayapi:v1, gatewayapi:v1beta1)");
    }

    [Fact]
    public async Task ReconcileAsync_PreviewHost_CreatesPreviewRouteToCanary()
    {
        RegisterRoutes("v1");

        await _router.ReconcileAsync(Canary(s => s with { Service = s.Service with { PreviewHost = "preview.example.com" } }), default);

        _cluster.Require(V1, "HTTPRoute", "podinfo-preview")["spec"].ShouldEqualJson("""
            {"parentRefs":[{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"public","namespace":"gateways"}],
             "hostnames":["preview.example.com"],
             "rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"}}],
               "backendRefs":[{"group":"","kind":"Service","name":"podinfo-canary","port":9898,"weight":100}]}]}
            """);
    }

    private static CanaryResource Canary(Func<CanarySpec, CanarySpec>? change = null) =>
        RoutingCluster.Canary(TrafficProviders.GatewayApi, spec =>
        {
            spec = spec with
            {
                Service = spec.Service with { Hosts = ["app.example.com"], GatewayRefs = [new GatewayReference("public", "gateways")] },
            };
            return change is null ? spec : change(spec);
        });

    private async Task<TrafficRoutes> SetAndAcceptAsync(CanaryResource canary, TrafficRoutes routes)
    {
        if (!_registered)
        {
            RegisterRoutes("v1");
        }

        try
        {
            return await _router.SetRoutesAsync(canary, routes, default);
        }
        catch (TrafficRouterException ex) when (ex.IsTransient)
        {
            Accept("podinfo");
            return await _router.SetRoutesAsync(canary, routes, default);
        }
    }

    private void RegisterRoutes(string version)
    {
        _cluster.Server.RegisterCustomResource("gateway.networking.k8s.io", version, "httproutes", "HTTPRoute", hasStatusSubresource: true);
        _registered = true;
    }

    /// <summary>Acts as the gateway controller: reports the route's current generation as accepted (or not) by its parent.</summary>
    private void Accept(string name, string status = "True", string reason = "Accepted")
    {
        var route = _cluster.Require(V1, "HTTPRoute", name);
        var generation = long.Parse(route["metadata"]!["generation"]!.ToJsonString(), CultureInfo.InvariantCulture);
        route["status"] = new JsonObject
        {
            ["parents"] = new JsonArray(new JsonObject
            {
                ["parentRef"] = new JsonObject { ["name"] = "public", ["namespace"] = "gateways" },
                ["controllerName"] = "example.com/gateway-controller",
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Accepted",
                    ["status"] = status,
                    ["reason"] = reason,
                    ["message"] = status == "True" ? "accepted" : "listener does not allow the route",
                    ["observedGeneration"] = generation,
                }),
            }),
        };
        _cluster.Server.PutObject(route);
    }

    private JsonObject Route() => _cluster.Require(V1, "HTTPRoute", "podinfo");

    private IEnumerable<long> Weights() =>
        Route()["spec"]!["rules"]![0]!["backendRefs"]!.AsArray().Select(b => long.Parse(b!["weight"]!.ToJsonString(), CultureInfo.InvariantCulture));
}
