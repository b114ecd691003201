using System.Text.Json.Nodes;
using Canary.Cli.Demo;
using Canary.Kubernetes.Client;
using static Canary.Cli.Tests.Demo.DemoObjects;

namespace Canary.Cli.Tests.Demo;

/// <summary>The proxy obeys an NGINX canary Ingress as ingress-nginx evaluates it: header, then cookie, then weight.</summary>
public sealed class NginxRoutingTests
{
    private const string P = DemoHarness.Primary;
    private const string C = DemoHarness.Canary;

    private static JsonObject Main => Ingress("podinfo", "podinfo");

    private static JsonObject CanaryIngress(params (string Key, string Value)[] annotations) =>
        Ingress("podinfo-canary", "podinfo-canary", annotations: [("canary", "true"), .. annotations]);

    [Fact]
    public async Task Proxy_CanaryWeight20_SendsAFifthOfTwoThousandRequestsToTheCanaryWithinFiveSigma()
    {
        const int Requests = 2000;
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "20"))]);

        var report = await demo.LoadAsync(Requests);

        report.Answers(C).Should().BeCloseTo(400, (uint)Binomial.FiveSigma(Requests, 0.2));
        (report.Answers(P) + report.Answers(C)).Should().Be(Requests);
        demo.Proxy.Routes.CanaryShare.Should().Be(0.2);
    }

    [Fact]
    public async Task Proxy_HeaderValueMatch_SendsExactlyTheMarkedRequestsToTheCanary()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "0"), ("canary-by-header", "X-Canary"), ("canary-by-header-value", "insider"))]);

        var report = await demo.LoadAsync(300, new RequestMark(0.5, HeaderName: "X-Canary", HeaderValue: "insider"));

        report.MarkedByVersion.Keys.Should().Equal(C);
        report.UnmarkedByVersion.Where(p => p.Value.Total > 0).Select(p => p.Key).Should().Equal(P);
        report.MarkedByVersion[C].Total.Should().BeInRange(1, 299);
    }

    [Fact]
    public async Task Proxy_HeaderValueMismatch_FallsThroughToTheWeight()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "100"), ("canary-by-header", "X-Canary"), ("canary-by-header-value", "insider"))]);

        var versions = await demo.VersionsAsync(10, ("X-Canary", "someone-else"));

        versions.Should().OnlyContain(v => v == C);
    }

    [Fact]
    public async Task Proxy_HeaderNeverAtFullWeight_KeepsTheRequestOnThePrimary()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "100"), ("canary-by-header", "X-Canary"))]);

        var never = await demo.VersionsAsync(10, ("X-Canary", "never"));
        var without = await demo.VersionsAsync(5);

        never.Should().OnlyContain(v => v == P);
        without.Should().OnlyContain(v => v == C);
    }

    [Fact]
    public async Task Proxy_HeaderPattern_MatchesAnywhereInTheValue()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-by-header", "User-Agent"), ("canary-by-header-pattern", "Android|iPhone"))]);

        var mobile = await demo.VersionsAsync(5, ("User-Agent", "Mozilla/5.0 (Linux; Android 14)"));
        var desktop = await demo.VersionsAsync(5, ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"));

        mobile.Should().OnlyContain(v => v == C);
        desktop.Should().OnlyContain(v => v == P);
    }

    [Fact]
    public async Task Proxy_CookieAlwaysAtZeroWeight_GoesToTheCanary()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "0"), ("canary-by-cookie", "canary"))]);

        var always = await demo.VersionsAsync(5, ("Cookie", "session=1; canary=always"));
        var other = await demo.VersionsAsync(5, ("Cookie", "canary=yes"));

        always.Should().OnlyContain(v => v == C);
        other.Should().OnlyContain(v => v == P, "only always and never count for a cookie; other values fall through to the weight");
    }

    [Fact]
    public async Task Proxy_HeaderAlwaysWithCookieNever_HeaderWins()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-by-header", "X-Canary"), ("canary-by-cookie", "canary"))]);

        var versions = await demo.VersionsAsync(5, ("X-Canary", "always"), ("Cookie", "canary=never"));

        versions.Should().OnlyContain(v => v == C);
    }

    [Fact]
    public async Task Proxy_CanaryIngressOnAnotherPath_GetsNoTraffic()
    {
        var canary = Ingress("podinfo-canary", "podinfo-canary", path: "/api", annotations: [("canary", "true"), ("canary-weight", "100")]);
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, canary]);

        var versions = await demo.VersionsAsync(5);

        versions.Should().OnlyContain(v => v == P, "ingress-nginx merges a canary only into a location with the same host, path and pathType");
    }

    [Fact]
    public async Task Proxy_CanaryWithoutTheCanaryAnnotation_GetsNoTraffic()
    {
        var notCanary = Ingress("podinfo-canary", "podinfo-canary", annotations: [("canary-weight", "100")]);
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, notCanary]);

        var versions = await demo.VersionsAsync(5);

        versions.Should().OnlyContain(v => v == P);
    }

    [Fact]
    public async Task Proxy_WeightPatchedThroughTheApi_FollowsItByWatch()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "0"))]);
        var before = await demo.VersionsAsync(5);

        await demo.Api.PatchAsync(
            ResourceType.Ingresses, Namespace, "podinfo-canary",
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [$"{Nginx}/canary-weight"] = "100" } } }));
        await demo.WaitForRoutesAsync(routes => routes.CanaryShare == 1);
        var after = await demo.VersionsAsync(5);

        before.Should().OnlyContain(v => v == P);
        after.Should().OnlyContain(v => v == C);
    }

    [Fact]
    public async Task Proxy_PrimaryWithoutEndpoints_Answers503EvenToACanaryHeader()
    {
        // The apex Service selects the primary's pods, as the router sets it up once the canary is initialized.
        JsonObject[] objects = [Main, CanaryIngress(("canary-by-header", "X-Canary")), Service("podinfo", ("app", "podinfo-primary")), Service("podinfo-canary", ("app", "podinfo"))];
        await using var demo = await DemoHarness.StartAsync("nginx", objects, primaryReady: 0);

        var (status, _) = await demo.GetAsync("/", ("X-Canary", "always"));

        status.Should().Be(503, "ingress-nginx answers 503 when the main upstream has no endpoints (kubernetes/ingress-nginx#8212)");
    }

    [Fact]
    public async Task Proxy_NoMatchingHost_Answers404()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "other.example.com";

        using var response = await demo.Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(404);
    }

    [Theory]
    [InlineData("podinfo-canary")]
    [InlineData("podinfo-canary.test")]
    [InlineData("podinfo-canary.test.svc.cluster.local")]
    public async Task Proxy_HostIsTheCanaryServicesInClusterName_GoesStraightToTheCanary(string host)
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "0"))]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;

        using var response = await demo.Client.SendAsync(request);

        (await response.Content.ReadAsStringAsync()).Should().Contain($"\"version\":\"{C}\"");
    }

    [Fact]
    public async Task Proxy_WeightTotalAbove100_IsTheDenominator()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", [Main, CanaryIngress(("canary-weight", "250"), ("canary-weight-total", "1000"))]);

        demo.Proxy.Routes.CanaryShare.Should().Be(0.25);
    }
}
