using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.Traefik;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Tests.Routing.Traefik;

public sealed class TraefikRouterTests : IAsyncLifetime
{
    private const string Group = "traefik.io/v1alpha1";
    private const string TraefikServices = "/apis/traefik.io/v1alpha1/namespaces/test/traefikservices";
    private RoutingCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _cluster.SeedWorkloads();
        _cluster.SeedServices();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_FirstUse_CreatesTraefikServiceWithPrimaryOnly()
    {
        RegisterTraefik("traefik.io");

        await Router().ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal($"POST {TraefikServices}");
        _cluster.Require(Group, "TraefikService", "podinfo").ShouldEqualWrittenObject(Expected(
            """{"weighted":{"services":[{"name":"podinfo-primary","namespace":"test","port":9898,"weight":100}]}}""", "traefik.io/v1alpha1"));
    }

    [Fact]
    public async Task ReconcileAsync_OnlyLegacyGroupServed_UsesTraefikContainous()
    {
        RegisterTraefik("traefik.containo.us");

        await Router().ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal("POST /apis/traefik.containo.us/v1alpha1/namespaces/test/traefikservices");
        _cluster.Get("traefik.containo.us/v1alpha1", "TraefikService", "podinfo").Should().NotBeNull();
    }

    [Fact]
    public async Task ReconcileAsync_BothGroupsServed_PrefersTraefikIo()
    {
        RegisterTraefik("traefik.containo.us");
        RegisterTraefik("traefik.io");

        await Router().ReconcileAsync(Canary(), default);

        _cluster.Get(Group, "TraefikService", "podinfo").Should().NotBeNull();
        _cluster.Get("traefik.containo.us/v1alpha1", "TraefikService", "podinfo").Should().BeNull();
    }

    [Fact]
    public async Task ReconcileAsync_GroupFromOptions_UsesItWithoutAsking()
    {
        RegisterTraefik("traefik.containo.us");
        RegisterTraefik("traefik.io");
        var router = Router(new TraefikRouterOptions { ApiGroup = TraefikRouterOptions.LegacyGroup });

        await router.ReconcileAsync(Canary(), default);

        _cluster.Get("traefik.containo.us/v1alpha1", "TraefikService", "podinfo").Should().NotBeNull();
        _cluster.Server.Requests.Should().NotContain(r => r.Method == "GET" && r.Path.StartsWith("/apis/traefik.io", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconcileAsync_NoTraefikApi_FailsNamingBothGroups()
    {
        var act = async () => await Router().ReconcileAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.Message.Should()
            .Contain("traefik.io/v1alpha1").And.Contain("traefik.containo.us/v1alpha1");
    }

    [Fact]
    public void Constructor_UnknownGroup_Throws()
    {
        var act = () => Router(new TraefikRouterOptions { ApiGroup = "traefik.example" });

        act.Should().Throw<ArgumentException>().WithMessage("TraefikRouterOptions.ApiGroup: must be traefik.io or traefik.containo.us*");
    }

    [Fact]
    public async Task SetRoutesAsync_Weight_WritesBothWeightedServices()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.ReconcileAsync(Canary(), default);
        _cluster.ClearRequests();

        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        _cluster.Writes().Should().Equal($"PATCH {TraefikServices}/podinfo");
        Spec().ShouldEqualJson("""
            {"weighted":{"services":[
              {"name":"podinfo-primary","namespace":"test","port":9898,"weight":90},
              {"name":"podinfo-canary","namespace":"test","port":9898,"weight":10}]}}
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_CanaryOnly_WritesPrimaryWeightZeroExplicitly()
    {
        RegisterTraefik("traefik.io");

        await Router().SetRoutesAsync(Canary(), TrafficRoutes.CanaryOnly, default);

        Spec().ShouldEqualJson("""
            {"weighted":{"services":[
              {"name":"podinfo-primary","namespace":"test","port":9898,"weight":0},
              {"name":"podinfo-canary","namespace":"test","port":9898,"weight":100}]}}
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterWeight_OmitsCanary()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(50), default);

        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        Spec().ShouldEqualJson("""{"weighted":{"services":[{"name":"podinfo-primary","namespace":"test","port":9898,"weight":100}]}}""");
    }

    [Fact]
    public async Task SetRoutesAsync_Repeated_WritesNothing()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);
        _cluster.ClearRequests();

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);

        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_Mirrored_WritesMirroringService()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        var canary = Canary(s => s with { Analysis = s.Analysis with { Mirror = true, MirrorWeight = 25 } });
        await router.SetRoutesAsync(canary, TrafficRoutes.ForCanary(20), default);

        var achieved = await router.SetRoutesAsync(canary, TrafficRoutes.PrimaryOnly with { Mirrored = true }, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly with { Mirrored = true });
        Spec().ShouldEqualJson("""
            {"mirroring":{"name":"podinfo-primary","namespace":"test","port":9898,
              "mirrors":[{"name":"podinfo-canary","namespace":"test","port":9898,"percent":25}]}}
            """);
        (await router.GetRoutesAsync(canary, default)).Should().Be(TrafficRoutes.PrimaryOnly with { Mirrored = true });
    }

    [Fact]
    public async Task SetRoutesAsync_MirroredWithCanaryWeight_AppliesWeightsAndReportsNoMirror()
    {
        RegisterTraefik("traefik.io");

        var achieved = await Router().SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10) with { Mirrored = true }, default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        Spec()!["weighted"].Should().NotBeNull();
    }

    [Fact]
    public async Task SetRoutesAsync_AfterMirroring_ReturnsToWeighted()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly with { Mirrored = true }, default);

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        Spec()!.AsObject().Select(p => p.Key).Should().Equal("weighted");
    }

    [Fact]
    public async Task ReconcileAsync_AfterWeight_KeepsWeights()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(40), default);
        _cluster.ClearRequests();

        await router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().BeEmpty();
        (await router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(40));
    }

    [Fact]
    public async Task ReconcileAsync_PortChanged_UpdatesEntriesAndKeepsWeights()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(40), default);

        await router.ReconcileAsync(Canary(s => s with { Service = s.Service with { Port = 8080 } }), default);

        Spec().ShouldEqualJson("""
            {"weighted":{"services":[
              {"name":"podinfo-primary","namespace":"test","port":8080,"weight":60},
              {"name":"podinfo-canary","namespace":"test","port":8080,"weight":40}]}}
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_UsersMetadataOnTraefikService_Survives()
    {
        RegisterTraefik("traefik.io");
        var router = Router();
        await router.ReconcileAsync(Canary(), default);
        var services = new ResourceType("traefik.io", "v1alpha1", "traefikservices", true, "TraefikService");
        await _cluster.Api.PatchAsync(services, RoutingCluster.Namespace, "podinfo",
            KubernetesPatch.Merge(JsonNode.Parse("""{"metadata":{"annotations":{"team":"web"},"labels":{"tier":"edge"}}}""")!.AsObject()));

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        var metadata = _cluster.Require(Group, "TraefikService", "podinfo")["metadata"]!;
        metadata["annotations"].ShouldEqualJson("""{"team":"web"}""");
        metadata["labels"].ShouldEqualJson("""{"tier":"edge","app.kubernetes.io/managed-by":"canary"}""");
    }

    [Theory]
    [InlineData("""[{"name":"podinfo-primary","weight":3},{"name":"podinfo-canary","weight":1}]""", 25)]
    [InlineData("""[{"name":"podinfo-primary"},{"name":"podinfo-canary"}]""", 50)]
    [InlineData("""[{"name":"podinfo-primary","weight":100}]""", 0)]
    [InlineData("""[{"name":"podinfo-primary","weight":0},{"name":"podinfo-canary","weight":5}]""", 100)]
    public async Task GetRoutesAsync_WeightedServices_ReportsShareOfRelativeWeights(string services, int expected)
    {
        RegisterTraefik("traefik.io");
        _cluster.Server.PutObject(JsonNode.Parse($$"""
            {"apiVersion":"traefik.io/v1alpha1","kind":"TraefikService","metadata":{"name":"podinfo","namespace":"test"},
             "spec":{"weighted":{"services":{{services}} } } }
            """)!.AsObject());

        (await Router().GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(expected));
    }

    [Fact]
    public async Task SetRoutesAsync_ABMatch_FailsNamingMatch()
    {
        RegisterTraefik("traefik.io");
        var canary = Canary(s => s with
        {
            Analysis = new AnalysisSpec { Iterations = 5, Match = [RoutingCluster.Header("x-canary", StringMatchKind.Exact, "1")] },
        });

        var act = async () => await Router().SetRoutesAsync(canary, TrafficRoutes.CanaryOnly, default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().Be("spec.analysis.match: A/B testing is not supported by provider \"traefik\"");
    }

    [Fact]
    public async Task ReconcileAsync_PreviewHost_CreatesIngressRouteToCanary()
    {
        RegisterTraefik("traefik.io");

        await Router().ReconcileAsync(Canary(s => s with { Service = s.Service with { PreviewHost = "preview.example.com" } }), default);

        var route = _cluster.Require(Group, "IngressRoute", "podinfo-preview");
        route["metadata"]!["labels"].ShouldEqualJson("""{"app.kubernetes.io/managed-by":"canary"}""");
        route["spec"].ShouldEqualJson("""
            {"routes":[{"match":"Host(`preview.example.com`)","kind":"Rule","services":[{"name":"podinfo-canary","port":9898}]}]}
            """);
    }

    private static CanaryResource Canary(Func<CanarySpec, CanarySpec>? change = null) => RoutingCluster.Canary(TrafficProviders.Traefik, change);

    private static string Expected(string spec, string apiVersion) => $$$"""
        {"apiVersion":"{{{apiVersion}}}","kind":"TraefikService",
         "metadata":{"name":"podinfo","namespace":"test","labels":{"app.kubernetes.io/managed-by":"canary"},
           "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"podinfo","uid":"{{{RoutingCluster.TargetUid}}}"}]},
         "spec":{{{spec}}}
        }
        """;

    private TraefikRouter Router(TraefikRouterOptions? options = null) =>
        new(_cluster.Api, options is null ? null : Options.Create(options));

    private void RegisterTraefik(string group)
    {
        _cluster.Server.RegisterCustomResource(group, "v1alpha1", "traefikservices", "TraefikService");
        _cluster.Server.RegisterCustomResource(group, "v1alpha1", "ingressroutes", "IngressRoute");
    }

    private JsonNode? Spec() => _cluster.Require(Group, "TraefikService", "podinfo")["spec"];
}
