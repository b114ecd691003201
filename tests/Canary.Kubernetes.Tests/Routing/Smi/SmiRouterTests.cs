using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.Smi;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Tests.Routing.Smi;

public sealed class SmiRouterTests : IAsyncLifetime
{
    private RoutingCluster _cluster = null!;
    private SmiRouter _router = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _cluster.SeedWorkloads();
        _cluster.SeedServices();
        _router = new SmiRouter(_cluster.Api);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_FirstUse_CreatesTrafficSplitToPrimary()
    {
        RegisterSplit("v1alpha2");

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal("POST /apis/split.smi-spec.io/v1alpha2/namespaces/test/trafficsplits");
        _cluster.Require("split.smi-spec.io/v1alpha2", "TrafficSplit", "podinfo").ShouldEqualWrittenObject($$"""
            {"apiVersion":"split.smi-spec.io/v1alpha2","kind":"TrafficSplit",
             "metadata":{"name":"podinfo","namespace":"test","labels":{"app.kubernetes.io/managed-by":"canary"},
               "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"podinfo","uid":"{{RoutingCluster.TargetUid}}"}]},
             "spec":{"service":"podinfo","backends":[{"service":"podinfo-canary","weight":0},{"service":"podinfo-primary","weight":100}]}
            }
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_V1Alpha1_WritesQuantityStrings()
    {
        RegisterSplit("v1alpha1");

        var achieved = await _router.SetRoutesAsync(Canary(s => s with { Provider = "smi:v1alpha1" }), TrafficRoutes.ForCanary(10), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        _cluster.Require("split.smi-spec.io/v1alpha1", "TrafficSplit", "podinfo")["spec"]!["backends"].ShouldEqualJson("""
            [{"service":"podinfo-canary","weight":"10"},{"service":"podinfo-primary","weight":"90"}]
            """);
    }

    [Theory]
    [InlineData("v1alpha2")]
    [InlineData("v1alpha3")]
    [InlineData("v1alpha4")]
    public async Task SetRoutesAsync_IntegerVersions_WritesIntegers(string version)
    {
        RegisterSplit(version);

        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(35), default);

        _cluster.Require($"split.smi-spec.io/{version}", "TrafficSplit", "podinfo")["spec"]!["backends"].ShouldEqualJson("""
            [{"service":"podinfo-canary","weight":35},{"service":"podinfo-primary","weight":65}]
            """);
    }

    [Fact]
    public async Task ReconcileAsync_SeveralVersionsServed_TakesTheNewest()
    {
        RegisterSplit("v1alpha1");
        RegisterSplit("v1alpha2");
        RegisterSplit("v1alpha3");

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal("POST /apis/split.smi-spec.io/v1alpha3/namespaces/test/trafficsplits");
    }

    [Fact]
    public async Task SetRoutesAsync_Repeated_WritesNothing()
    {
        RegisterSplit("v1alpha2");
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);
        _cluster.ClearRequests();

        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);
        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterWeight_RestoresPrimary()
    {
        RegisterSplit("v1alpha2");
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(60), default);

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Fact]
    public async Task SetRoutesAsync_MirrorRequested_ReportsNoMirror()
    {
        RegisterSplit("v1alpha2");

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly with { Mirrored = true }, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Theory]
    [InlineData("\"1\"", "\"500m\"", 33)]
    [InlineData("\"900m\"", "\"100m\"", 10)]
    [InlineData("\"0\"", "\"1k\"", 100)]
    [InlineData("95", "5", 5)]
    public async Task GetRoutesAsync_RelativeWeights_ReportsCanaryShare(string primary, string canary, int expected)
    {
        RegisterSplit("v1alpha1");
        _cluster.Server.PutObject(JsonNode.Parse($$"""
            {"apiVersion":"split.smi-spec.io/v1alpha1","kind":"TrafficSplit","metadata":{"name":"podinfo","namespace":"test"},
             "spec":{"service":"podinfo","backends":[{"service":"podinfo-primary","weight":{{primary}}},{"service":"podinfo-canary","weight":{{canary}}}]}
            }
            """)!.AsObject());

        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(expected));
    }

    [Fact]
    public async Task SetRoutesAsync_UsersMetadata_Survives()
    {
        RegisterSplit("v1alpha2");
        await _router.ReconcileAsync(Canary(), default);
        await _cluster.Api.PatchAsync(SmiRouting.TrafficSplits("v1alpha2"), RoutingCluster.Namespace, "podinfo",
            KubernetesPatch.Merge(JsonNode.Parse("""{"metadata":{"annotations":{"team":"web"},"labels":{"tier":"mesh"}}}""")!.AsObject()));

        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        var metadata = _cluster.Require("split.smi-spec.io/v1alpha2", "TrafficSplit", "podinfo")["metadata"]!;
        metadata["annotations"].ShouldEqualJson("""{"team":"web"}""");
        metadata["labels"].ShouldEqualJson("""{"tier":"mesh","app.kubernetes.io/managed-by":"canary"}""");
    }

    [Fact]
    public async Task ReconcileAsync_NoTrafficSplitApi_FailsNamingIt()
    {
        var act = async () => await _router.ReconcileAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.Message.Should()
            .Be("provider \"smi\": the cluster serves no TrafficSplit API (split.smi-spec.io v1alpha1 to v1alpha4); install the SMI CRDs");
    }

    [Fact]
    public async Task SetRoutesAsync_ABMatch_FailsNamingMatch()
    {
        RegisterSplit("v1alpha2");
        var canary = Canary(s => s with
        {
            Analysis = new AnalysisSpec { Iterations = 3, Match = [RoutingCluster.Header("x-canary", StringMatchKind.Exact, "1")] },
        });

        var act = async () => await _router.SetRoutesAsync(canary, TrafficRoutes.CanaryOnly, default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.Message.Should().StartWith("spec.analysis.match: A/B testing is not supported");
    }

    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("1", 1)]
    [InlineData("2k", 2000)]
    [InlineData("1Ki", 1024)]
    [InlineData("1e3", 1000)]
    [InlineData("1.5", 1.5)]
    public void Quantity_ValidText_Parses(string text, double expected)
    {
        Quantity.TryParse(text, out var value).Should().BeTrue();

        value.Should().BeApproximately(expected, 1e-9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    public void Quantity_InvalidText_IsRejected(string text)
    {
        Quantity.TryParse(text, out _).Should().BeFalse();
    }

    private static CanaryResource Canary(Func<CanarySpec, CanarySpec>? change = null) => RoutingCluster.Canary(TrafficProviders.Smi, change);

    private void RegisterSplit(string version) =>
        _cluster.Server.RegisterCustomResource("split.smi-spec.io", version, "trafficsplits", "TrafficSplit");
}
