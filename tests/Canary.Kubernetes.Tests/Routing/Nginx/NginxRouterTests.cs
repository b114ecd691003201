using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.Nginx;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Tests.Routing.Nginx;

public sealed class NginxRouterTests : IAsyncLifetime
{
    private const string Ingresses = "/apis/networking.k8s.io/v1/namespaces/test/ingresses";
    private RoutingCluster _cluster = null!;
    private NginxRouter _router = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _cluster.SeedWorkloads();
        _cluster.SeedServices();
        SeedUserIngress();
        _router = new NginxRouter(_cluster.Api);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_FirstUse_CreatesCanaryIngressForPathsToApex()
    {
        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal($"POST {Ingresses}");
        var created = _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo-canary");
        created["metadata"]!["labels"].ShouldEqualJson("""{"app.kubernetes.io/managed-by":"canary"}""");
        created["metadata"]!["annotations"].ShouldEqualJson("""
            {"kubernetes.io/ingress.class":"nginx","nginx.ingress.kubernetes.io/canary":"true","nginx.ingress.kubernetes.io/canary-weight":"0"}
            """);
        created["metadata"]!["ownerReferences"].ShouldEqualJson($$"""
            [{"apiVersion":"apps/v1","kind":"Deployment","name":"podinfo","uid":"{{RoutingCluster.TargetUid}}"}]
            """);
        created["spec"].ShouldEqualJson("""
            {"ingressClassName":"nginx",
             "rules":[{"host":"app.example.com","http":{"paths":[
               {"path":"/","pathType":"Prefix","backend":{"service":{"name":"podinfo-canary","port":{"number":9898}}}}]}}],
             "tls":[{"hosts":["app.example.com"],"secretName":"app-tls"}]}
            """);
    }

    [Fact]
    public async Task ReconcileAsync_Repeated_WritesNothing()
    {
        await _router.ReconcileAsync(Canary(), default);
        _cluster.ClearRequests();

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task ReconcileAsync_UserIngressMissing_FailsNamingIngressRef()
    {
        _cluster.Server.DeleteObject("networking.k8s.io/v1", "Ingress", "podinfo", RoutingCluster.Namespace);

        var act = async () => await _router.ReconcileAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().Be("spec.ingressRef: Ingress \"podinfo\" not found in namespace \"test\"");
    }

    [Fact]
    public async Task ReconcileAsync_UserIngressWithoutRules_FailsNamingIngressRef()
    {
        SeedUserIngress(rules: new JsonArray());

        var act = async () => await _router.ReconcileAsync(Canary(), default);

        var failure = (await act.Should().ThrowAsync<TrafficRouterException>()).Which;
        failure.Message.Should().Be("spec.ingressRef: Ingress \"podinfo\" in namespace \"test\" has no rules");
        failure.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task ReconcileAsync_UserIngressNotRoutingToApex_FailsNamingIngressRef()
    {
        SeedUserIngress(rules: new JsonArray(Rule("app.example.com", Path("/", "podinfo-primary", 9898))));

        var act = async () => await _router.ReconcileAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().StartWith("spec.ingressRef: Ingress \"podinfo\" in namespace \"test\" routes no path to Service \"podinfo\"");
    }

    [Fact]
    public async Task ReconcileAsync_SeveralRules_KeepsOneCanaryRulePerUserRule()
    {
        SeedUserIngress(rules: new JsonArray(
            Rule("a.example.com", Path("/", "podinfo", 9898), Path("/api", "podinfo", 9898)),
            Rule("b.example.com", Path("/", "other", 80))));

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo-canary")["spec"]!["rules"].ShouldEqualJson("""
            [{"host":"a.example.com","http":{"paths":[
               {"path":"/","pathType":"Prefix","backend":{"service":{"name":"podinfo-canary","port":{"number":9898}}}},
               {"path":"/api","pathType":"Prefix","backend":{"service":{"name":"podinfo-canary","port":{"number":9898}}}}]}}]
            """);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public async Task SetRoutesAsync_Weight_WritesWeightAnnotationAsString(int weight)
    {
        await _router.ReconcileAsync(Canary(), default);
        _cluster.ClearRequests();

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(weight), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(weight));
        _cluster.Writes().Should().Equal($"PATCH {Ingresses}/podinfo-canary");
        CanaryAnnotations().ShouldEqualJson($$"""
            {"kubernetes.io/ingress.class":"nginx","nginx.ingress.kubernetes.io/canary":"true","nginx.ingress.kubernetes.io/canary-weight":"{{weight}}"}
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_Repeated_WritesNothing()
    {
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);
        _cluster.ClearRequests();

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(20));
        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_BeforeReconcile_CreatesCanaryIngressFirst()
    {
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);

        _cluster.Writes().Should().Equal($"POST {Ingresses}", $"PATCH {Ingresses}/podinfo-canary");
        CanaryAnnotations()!["nginx.ingress.kubernetes.io/canary-weight"]!.GetValue<string>().Should().Be("30");
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterWeight_ResetsWeightToZero()
    {
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(40), default);

        var achieved = await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        CanaryAnnotations()!["nginx.ingress.kubernetes.io/canary-weight"]!.GetValue<string>().Should().Be("0");
        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Fact]
    public async Task SetRoutesAsync_HeaderExactMatch_WritesHeaderAndValueWithWeightZero()
    {
        var canary = ABCanary(RoutingCluster.Header("x-canary", StringMatchKind.Exact, "insider"));

        var achieved = await _router.SetRoutesAsync(canary, TrafficRoutes.CanaryOnly, default);

        achieved.Should().Be(TrafficRoutes.CanaryOnly);
        CanaryAnnotations().ShouldEqualJson("""
            {"kubernetes.io/ingress.class":"nginx",
             "nginx.ingress.kubernetes.io/canary":"true",
             "nginx.ingress.kubernetes.io/canary-weight":"0",
             "nginx.ingress.kubernetes.io/canary-by-header":"x-canary",
             "nginx.ingress.kubernetes.io/canary-by-header-value":"insider"}
            """);
        (await _router.GetRoutesAsync(canary, default)).Should().Be(TrafficRoutes.CanaryOnly);
    }

    [Theory]
    [InlineData(StringMatchKind.Regex, ".*Firefox.*", ".*Firefox.*")]
    [InlineData(StringMatchKind.Prefix, "eu.west", "^eu\\.west")]
    [InlineData(StringMatchKind.Suffix, "(beta)", "\\(beta\\)$")]
    public async Task SetRoutesAsync_HeaderPatternMatch_WritesHeaderPattern(StringMatchKind kind, string value, string pattern)
    {
        var canary = ABCanary(RoutingCluster.Header("user-agent", kind, value));

        await _router.SetRoutesAsync(canary, TrafficRoutes.CanaryOnly, default);

        var annotations = CanaryAnnotations()!;
        annotations["nginx.ingress.kubernetes.io/canary-by-header"]!.GetValue<string>().Should().Be("user-agent");
        annotations["nginx.ingress.kubernetes.io/canary-by-header-pattern"]!.GetValue<string>().Should().Be(pattern);
        annotations.ContainsKey("nginx.ingress.kubernetes.io/canary-by-header-value").Should().BeFalse();
    }

    [Fact]
    public async Task SetRoutesAsync_HeaderAndCookieMatches_WritesBoth()
    {
        var canary = ABCanary(
            RoutingCluster.Header("x-canary", StringMatchKind.Exact, "insider"),
            RoutingCluster.Header("cookie", StringMatchKind.Exact, "canary"));

        await _router.SetRoutesAsync(canary, TrafficRoutes.CanaryOnly, default);

        CanaryAnnotations().ShouldEqualJson("""
            {"kubernetes.io/ingress.class":"nginx",
             "nginx.ingress.kubernetes.io/canary":"true",
             "nginx.ingress.kubernetes.io/canary-weight":"0",
             "nginx.ingress.kubernetes.io/canary-by-header":"x-canary",
             "nginx.ingress.kubernetes.io/canary-by-header-value":"insider",
             "nginx.ingress.kubernetes.io/canary-by-cookie":"canary"}
            """);
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterABTest_RemovesMatchAnnotations()
    {
        var canary = ABCanary(RoutingCluster.Header("cookie", StringMatchKind.Exact, "canary"));
        await _router.SetRoutesAsync(canary, TrafficRoutes.CanaryOnly, default);

        var achieved = await _router.SetRoutesAsync(canary, TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        CanaryAnnotations().ShouldEqualJson("""
            {"kubernetes.io/ingress.class":"nginx","nginx.ingress.kubernetes.io/canary":"true","nginx.ingress.kubernetes.io/canary-weight":"0"}
            """);
        (await _router.GetRoutesAsync(canary, default)).Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Fact]
    public async Task ReconcileAsync_CookieRegexMatch_FailsNamingTheField()
    {
        var canary = ABCanary(RoutingCluster.Header("cookie", StringMatchKind.Regex, "^(.*?;)?(canary=always)(;.*)?$"));

        var act = async () => await _router.ReconcileAsync(canary, default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().StartWith("spec.analysis.match[0].headers.cookie: provider \"nginx\" matches a cookie by its name");
    }

    [Fact]
    public async Task ReconcileAsync_QueryParamMatch_FailsNamingTheField()
    {
        var canary = ABCanary(new HttpMatch { QueryParams = new Dictionary<string, StringMatch> { ["beta"] = new(StringMatchKind.Exact, "on") } });

        var act = async () => await _router.ReconcileAsync(canary, default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().Be("spec.analysis.match[0].queryParams: provider \"nginx\" cannot match query parameters");
    }

    [Fact]
    public async Task SetRoutesAsync_UsersAnnotationsOnCanaryIngress_Survive()
    {
        await _router.ReconcileAsync(Canary(), default);
        await _cluster.Api.PatchAsync(
            ResourceType.Ingresses, RoutingCluster.Namespace, "podinfo-canary",
            KubernetesPatch.Merge(JsonNode.Parse("""{"metadata":{"annotations":{"team":"web"},"labels":{"tier":"edge"}}}""")!.AsObject()));

        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);
        await _router.ReconcileAsync(Canary(), default);

        var metadata = _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo-canary")["metadata"]!;
        metadata["annotations"]!["team"]!.GetValue<string>().Should().Be("web");
        metadata["labels"]!["tier"]!.GetValue<string>().Should().Be("edge");
        metadata["annotations"]!["nginx.ingress.kubernetes.io/canary-weight"]!.GetValue<string>().Should().Be("10");
    }

    [Fact]
    public async Task SetRoutesAsync_AnyWeight_LeavesUsersIngressUntouched()
    {
        var before = _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo");

        await _router.ReconcileAsync(Canary(), default);
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo").ShouldEqualJson(before.ToJsonString());
    }

    [Fact]
    public async Task ReconcileAsync_UserIngressChanged_UpdatesCanarySpecAndKeepsWeight()
    {
        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);
        SeedUserIngress(rules: new JsonArray(Rule("new.example.com", Path("/v2", "podinfo", 9898))));
        _cluster.ClearRequests();

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal($"PATCH {Ingresses}/podinfo-canary");
        var canaryIngress = _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo-canary");
        canaryIngress["spec"]!["rules"]![0]!["host"]!.GetValue<string>().Should().Be("new.example.com");
        canaryIngress["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/canary-weight"]!.GetValue<string>().Should().Be("20");
    }

    [Theory]
    [InlineData("25", null, 25)]
    [InlineData("250", "1000", 25)]
    [InlineData("7", "50", 7)]
    public async Task GetRoutesAsync_WeightAnnotations_ReportsPercent(string weight, string? total, int expected)
    {
        await _router.ReconcileAsync(Canary(), default);
        var annotations = new JsonObject { ["nginx.ingress.kubernetes.io/canary-weight"] = weight };
        if (total is not null)
        {
            annotations["nginx.ingress.kubernetes.io/canary-weight-total"] = total;
        }

        await _cluster.Api.PatchAsync(
            ResourceType.Ingresses, RoutingCluster.Namespace, "podinfo-canary",
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }));

        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(expected));
    }

    [Fact]
    public async Task SetRoutesAsync_WeightTotalSetByHand_IsRemovedSoTheWeightIsPercent()
    {
        await _router.ReconcileAsync(Canary(), default);
        await _cluster.Api.PatchAsync(
            ResourceType.Ingresses, RoutingCluster.Namespace, "podinfo-canary",
            KubernetesPatch.Merge(JsonNode.Parse("""{"metadata":{"annotations":{"nginx.ingress.kubernetes.io/canary-weight-total":"1000"}}}""")!.AsObject()));

        await _router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        CanaryAnnotations()!.ContainsKey("nginx.ingress.kubernetes.io/canary-weight-total").Should().BeFalse();
        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(10));
    }

    [Fact]
    public async Task GetRoutesAsync_NoCanaryIngress_ReportsPrimaryOnly()
    {
        (await _router.GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.PrimaryOnly);
    }

    [Fact]
    public async Task ReconcileAsync_PreviewHost_CreatesPreviewIngressOnItsOwnService()
    {
        var canary = Canary(s => s with { Service = s.Service with { PreviewHost = "preview.example.com" } });

        await _router.ReconcileAsync(canary, default);

        var service = _cluster.Require("v1", "Service", "podinfo-preview");
        service["metadata"]!["labels"].ShouldEqualJson("""{"app.kubernetes.io/managed-by":"canary"}""");
        service["spec"]!["selector"].ShouldEqualJson("""{"app":"podinfo"}""");
        service["spec"]!["ports"].ShouldEqualJson("""[{"name":"http","protocol":"TCP","port":9898,"targetPort":"http"}]""");
        var preview = _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo-preview");
        preview["metadata"]!["annotations"].ShouldEqualJson("""{"kubernetes.io/ingress.class":"nginx"}""");
        preview["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>().Should().Be("podinfo");
        preview["spec"].ShouldEqualJson("""
            {"ingressClassName":"nginx",
             "rules":[{"host":"preview.example.com","http":{"paths":[
               {"path":"/","pathType":"Prefix","backend":{"service":{"name":"podinfo-preview","port":{"number":9898}}}}]}}]}
            """);
    }

    [Fact]
    public async Task ReconcileAsync_PreviewHostRemoved_DeletesPreviewObjects()
    {
        await _router.ReconcileAsync(Canary(s => s with { Service = s.Service with { PreviewHost = "preview.example.com" } }), default);
        _cluster.ClearRequests();

        await _router.ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal($"DELETE {Ingresses}/podinfo-preview", "DELETE /api/v1/namespaces/test/services/podinfo-preview");
        _cluster.Get("networking.k8s.io/v1", "Ingress", "podinfo-preview").Should().BeNull();
    }

    [Fact]
    public async Task ReconcileAsync_PreviewHostRepeated_WritesNothing()
    {
        var canary = Canary(s => s with { Service = s.Service with { PreviewHost = "preview.example.com" } });
        await _router.ReconcileAsync(canary, default);
        _cluster.ClearRequests();

        await _router.ReconcileAsync(canary, default);

        _cluster.Writes().Should().BeEmpty();
    }

    private static CanaryResource Canary(Func<CanarySpec, CanarySpec>? change = null) =>
        RoutingCluster.Canary(TrafficProviders.Nginx, spec =>
        {
            spec = spec with { IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", "podinfo") };
            return change is null ? spec : change(spec);
        });

    private static CanaryResource ABCanary(params HttpMatch[] matches) =>
        Canary(s => s with { Analysis = new AnalysisSpec { Iterations = 10, Match = matches } });

    private static JsonObject Rule(string host, params JsonObject[] paths) =>
        new() { ["host"] = host, ["http"] = new JsonObject { ["paths"] = new JsonArray(paths) } };

    private static JsonObject Path(string path, string service, int port) => new()
    {
        ["path"] = path,
        ["pathType"] = "Prefix",
        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = port } } },
    };

    private JsonObject? CanaryAnnotations() =>
        _cluster.Require("networking.k8s.io/v1", "Ingress", "podinfo-canary")["metadata"]!["annotations"] as JsonObject;

    private void SeedUserIngress(JsonArray? rules = null)
    {
        _cluster.Server.PutObject(new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = new JsonObject
            {
                ["name"] = "podinfo",
                ["namespace"] = RoutingCluster.Namespace,
                ["labels"] = new JsonObject { ["app"] = "podinfo" },
                ["annotations"] = new JsonObject { ["kubernetes.io/ingress.class"] = "nginx", ["team"] = "web" },
            },
            ["spec"] = new JsonObject
            {
                ["ingressClassName"] = "nginx",
                ["tls"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray("app.example.com"), ["secretName"] = "app-tls" }),
                ["rules"] = rules ?? new JsonArray(Rule("app.example.com", Path("/", "podinfo", 9898), Path("/admin", "admin", 80))),
            },
        });
    }
}
