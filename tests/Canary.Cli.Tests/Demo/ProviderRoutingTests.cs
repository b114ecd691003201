using System.Text.Json.Nodes;
using Canary.Cli.Demo;
using static Canary.Cli.Tests.Demo.DemoObjects;

namespace Canary.Cli.Tests.Demo;

/// <summary>The proxy honours each provider's object shape, seeded by hand as its router would write it.</summary>
public sealed class ProviderRoutingTests
{
    private const string P = DemoHarness.Primary;
    private const string C = DemoHarness.Canary;

    [Fact]
    public async Task Traefik_WeightedServices_SplitsExactlyByWeightWithSmoothRoundRobin()
    {
        await using var demo = await DemoHarness.StartAsync("traefik", [TraefikService("podinfo", ("podinfo-primary", 90), ("podinfo-canary", 10))]);

        var report = await demo.LoadAsync(200);

        report.Answers(C).Should().Be(20, "Traefik's weighted round robin is deterministic: 10 of every 100 requests");
        report.Answers(P).Should().Be(180);
    }

    [Fact]
    public async Task Traefik_OmittedWeight_CountsAsOne()
    {
        await using var demo = await DemoHarness.StartAsync("traefik", [TraefikService("podinfo", ("podinfo-primary", null), ("podinfo-canary", 3))]);

        var versions = await demo.VersionsAsync(40);

        versions.Count(v => v == P).Should().Be(10);
        demo.Proxy.Routes.CanaryShare.Should().Be(0.75);
    }

    [Fact]
    public async Task Traefik_ZeroWeight_DropsTheService()
    {
        await using var demo = await DemoHarness.StartAsync("traefik", [TraefikService("podinfo", ("podinfo-primary", 100), ("podinfo-canary", 0))]);

        var versions = await demo.VersionsAsync(10);

        versions.Should().OnlyContain(v => v == P);
    }

    [Fact]
    public async Task Smi_V1alpha1Quantities_GiveHalfAUnitAThirdOfTheTraffic()
    {
        const int Requests = 1500;
        var split = TrafficSplit("v1alpha1", "podinfo", "podinfo", null, ("podinfo-primary", JsonValue.Create("1")!), ("podinfo-canary", JsonValue.Create("500m")!));
        await using var demo = await DemoHarness.StartAsync("smi", [split]);

        var report = await demo.LoadAsync(Requests);

        report.Answers(C).Should().BeCloseTo(500, (uint)Binomial.FiveSigma(Requests, 1.0 / 3));
        demo.Proxy.Routes.CanaryShare.Should().BeApproximately(1.0 / 3, 1e-9);
    }

    [Fact]
    public async Task Smi_V1alpha2IntegerWeights_SendEverythingToTheOnlyWeightedBackend()
    {
        var split = TrafficSplit("v1alpha2", "podinfo", "podinfo", null, ("podinfo-primary", JsonValue.Create(0)), ("podinfo-canary", JsonValue.Create(100)));
        await using var demo = await DemoHarness.StartAsync("smi:v1alpha2", [split]);

        var versions = await demo.VersionsAsync(10);

        versions.Should().OnlyContain(v => v == C);
    }

    [Fact]
    public async Task Linkerd_TrafficSplitForAnotherService_DoesNotApply()
    {
        var split = TrafficSplit("v1alpha1", "podinfo", "other", null, ("podinfo-canary", JsonValue.Create("1")!));
        await using var demo = await DemoHarness.StartAsync("linkerd", [split]);

        var versions = await demo.VersionsAsync(5);

        versions.Should().OnlyContain(v => v == P, "a split applies only to requests for its root Service");
    }

    [Fact]
    public async Task Smi_V1alpha3Matches_SplitOnlyTheRequestsTheRouteGroupSelects()
    {
        var group = new JsonObject
        {
            ["apiVersion"] = "specs.smi-spec.io/v1alpha3",
            ["kind"] = "HTTPRouteGroup",
            ["metadata"] = new JsonObject { ["name"] = "podinfo-ab", ["namespace"] = Namespace },
            ["spec"] = new JsonObject { ["matches"] = new JsonArray(new JsonObject { ["name"] = "insiders", ["headers"] = new JsonObject { ["x-canary"] = "insider" } }) },
        };
        var matches = new JsonArray(new JsonObject { ["kind"] = "HTTPRouteGroup", ["name"] = "podinfo-ab" });
        var split = TrafficSplit("v1alpha3", "podinfo", "podinfo", matches, ("podinfo-canary", JsonValue.Create(100)));
        await using var demo = await DemoHarness.StartAsync("smi:v1alpha3", [group, split]);

        var marked = await demo.VersionsAsync(5, ("X-Canary", "insider"));
        var unmarked = await demo.VersionsAsync(5);

        marked.Should().OnlyContain(v => v == C);
        unmarked.Should().OnlyContain(v => v == P, "requests no HTTPRouteGroup match selects go to the root Service");
    }

    [Fact]
    public async Task GatewayApi_RelativeWeights_ShareByWeightOverTheirSum()
    {
        const int Requests = 2000;
        await using var demo = await DemoHarness.StartAsync("gatewayapi", [HttpRoute("podinfo", Rule(null, ("podinfo-primary", 3), ("podinfo-canary", 1)))]);

        var report = await demo.LoadAsync(Requests);

        report.Answers(C).Should().BeCloseTo(500, (uint)Binomial.FiveSigma(Requests, 0.25));
        demo.Proxy.Routes.CanaryShare.Should().Be(0.25);
    }

    [Fact]
    public async Task GatewayApi_HeaderMatchRule_WinsOverTheCatchAllRule()
    {
        var headerMatch = new JsonArray(new JsonObject
        {
            ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/" },
            ["headers"] = new JsonArray(new JsonObject { ["type"] = "Exact", ["name"] = "x-canary", ["value"] = "insider" }),
        });
        var route = HttpRoute(
            "podinfo",
            Rule(null, ("podinfo-primary", 100), ("podinfo-canary", 0)),
            Rule(headerMatch, ("podinfo-primary", 0), ("podinfo-canary", 100)));
        await using var demo = await DemoHarness.StartAsync("gatewayapi", [route]);

        var report = await demo.LoadAsync(200, new RequestMark(0.5, HeaderName: "X-Canary", HeaderValue: "insider"));

        report.MarkedByVersion.Keys.Should().Equal(C);
        report.UnmarkedByVersion.Where(p => p.Value.Total > 0).Select(p => p.Key).Should().Equal(P);
    }

    [Fact]
    public async Task GatewayApi_DefaultWeightIsOne_AndABackendThatIsNotAServiceGets500()
    {
        var rule = Rule(null, ("podinfo-canary", null));
        rule["backendRefs"]!.AsArray().Add(new JsonObject { ["group"] = "example.com", ["kind"] = "Bucket", ["name"] = "static", ["weight"] = 1 });
        await using var demo = await DemoHarness.StartAsync("gatewayapi", [HttpRoute("podinfo", rule)]);

        var statuses = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await demo.GetAsync()).Status);
        }

        statuses.Should().Contain(200).And.Contain(500).And.OnlyContain(s => s == 200 || s == 500);
    }

    [Fact]
    public async Task GatewayApi_HostnameNotServed_Answers404()
    {
        await using var demo = await DemoHarness.StartAsync("gatewayapi", [HttpRoute("podinfo", Rule(null, ("podinfo-primary", 1)))]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "elsewhere.example.org";

        using var response = await demo.Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(404);
    }

    [Fact]
    public async Task LabelRatio_ThreePrimaryAndOneCanaryReplica_GivesTheCanaryAQuarterWithinFiveSigma()
    {
        const int Requests = 2000;
        await using var demo = await DemoHarness.StartAsync("label-ratio", [], primaryReady: 3, canaryReady: 1);

        var report = await demo.LoadAsync(Requests);

        report.Answers(C).Should().BeCloseTo(500, (uint)Binomial.FiveSigma(Requests, 0.25));
        demo.Proxy.Routes.CanaryShare.Should().Be(0.25);
    }

    [Fact]
    public async Task LabelRatio_ReadyReplicasChange_PodsAndShareFollow()
    {
        await using var demo = await DemoHarness.StartAsync("label-ratio", [Service("podinfo", ("app", "podinfo"))], primaryReady: 2, canaryReady: 0);

        // One Service selecting both tracks by the shared label, as a label-ratio setup has it.
        demo.Server.PutObject(DemoObjects.Deployment("podinfo", C, readyReplicas: 2, appLabel: "podinfo"));
        demo.Server.PutObject(DemoObjects.Deployment("podinfo-primary", P, readyReplicas: 2, appLabel: "podinfo"));
        await demo.WaitForRoutesAsync(routes => routes.CanaryShare == 0.5);

        demo.Cluster.PodsOf("podinfo").Should().HaveCount(2).And.OnlyContain(pod => pod.Version == C);
        demo.Cluster.PodsOf("podinfo-primary").Should().HaveCount(2).And.OnlyContain(pod => pod.Version == P);
    }

    [Fact]
    public async Task Kubernetes_NoSplit_SendsEverythingToThePrimary()
    {
        await using var demo = await DemoHarness.StartAsync("kubernetes", [], primaryReady: 1, canaryReady: 3);

        var report = await demo.LoadAsync(100);

        report.Answers(P).Should().Be(100);
    }
}
