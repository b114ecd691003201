using System.Text.Json.Nodes;
using Canary.Cli.Demo;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Testing.Kubernetes;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// A fake API server seeded by hand (the deployment simulator off, so that each Deployment keeps the ready replicas written into
/// its status), the demo's cluster of pods, and a proxy for one provider; everything on 127.0.0.1.
/// </summary>
internal sealed class DemoHarness : IAsyncDisposable
{
    public const string Primary = "1.0.0";
    public const string Canary = "2.0.0";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private DemoHarness(FakeKubernetesApiServer server, KubernetesApiClient api, DemoCluster cluster, WeightedProxy proxy)
    {
        Server = server;
        Api = api;
        Cluster = cluster;
        Proxy = proxy;
        Client = new HttpClient { BaseAddress = proxy.Address, Timeout = Timeout };
        Client.DefaultRequestHeaders.Host = "app.example.com";
    }

    public FakeKubernetesApiServer Server { get; }

    public KubernetesApiClient Api { get; }

    public DemoCluster Cluster { get; }

    public WeightedProxy Proxy { get; }

    public HttpClient Client { get; }

    /// <summary>Starts with <c>podinfo-primary</c> (v1.0.0, <paramref name="primaryReady"/> pods) and <c>podinfo</c> (v2.0.0, <paramref name="canaryReady"/> pods) plus the given objects.</summary>
    public static async Task<DemoHarness> StartAsync(
        string provider,
        IEnumerable<JsonObject> objects,
        int primaryReady = 2,
        int canaryReady = 1,
        Action<WeightedProxyOptions>? configure = null,
        Action<DemoClusterOptions>? configureCluster = null)
    {
        var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { SimulateDeployments = false });
        await server.StartAsync();
        server.RegisterCustomResource("traefik.io", "v1alpha1", "traefikservices", "TraefikService");
        foreach (var version in new[] { "v1alpha1", "v1alpha2", "v1alpha3", "v1alpha4" })
        {
            server.RegisterCustomResource("split.smi-spec.io", version, "trafficsplits", "TrafficSplit");
        }

        server.RegisterCustomResource("specs.smi-spec.io", "v1alpha3", "httproutegroups", "HTTPRouteGroup");
        server.RegisterCustomResource("specs.smi-spec.io", "v1alpha4", "httproutegroups", "HTTPRouteGroup");
        server.RegisterCustomResource("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", hasStatusSubresource: true);
        server.PutObject(DemoObjects.Deployment("podinfo-primary", Primary, primaryReady));
        server.PutObject(DemoObjects.Deployment("podinfo", Canary, canaryReady));
        foreach (var obj in objects)
        {
            server.PutObject(obj);
        }

        var api = new KubernetesApiClient(new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "demo" });
        var clusterOptions = new DemoClusterOptions { Namespace = DemoObjects.Namespace, DefaultBehavior = new DemoPodBehavior(0, TimeSpan.Zero, TimeSpan.Zero) };
        configureCluster?.Invoke(clusterOptions);
        var cluster = new DemoCluster(api, clusterOptions);
        using var timeout = new CancellationTokenSource(Timeout);
        await cluster.StartAsync(timeout.Token);
        var options = new WeightedProxyOptions { Provider = provider, Namespace = DemoObjects.Namespace, TargetName = "podinfo", Seed = 7 };
        configure?.Invoke(options);
        var proxy = new WeightedProxy(api, cluster, options);
        await proxy.StartAsync(timeout.Token);
        return new DemoHarness(server, api, cluster, proxy);
    }

    /// <summary>Sends <paramref name="count"/> requests through the proxy with a load generator, as fast as 16 in flight allow.</summary>
    public async Task<LoadReport> LoadAsync(int count, RequestMark? mark = null)
    {
        using var load = new LoadGenerator(Proxy.Address, new LoadGeneratorOptions
        {
            RequestsPerSecond = null,
            MaxConcurrency = 16,
            MaxRequests = count,
            Host = "app.example.com",
            Mark = mark,
            Seed = 3,
        });
        using var timeout = new CancellationTokenSource(Timeout);
        var report = await load.RunAsync(timeout.Token);
        report.Answered.Should().Be(count, "every request must be answered within {0}", Timeout);
        return report;
    }

    /// <summary>Sends one GET through the proxy and returns its status and the version that answered ("" for the proxy itself).</summary>
    public async Task<(int Status, string Version)> GetAsync(string path = "/", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var version = body.StartsWith('{') ? JsonNode.Parse(body)?["version"]?.GetValue<string>() ?? string.Empty : string.Empty;
        return ((int)response.StatusCode, version);
    }

    public async Task<IReadOnlyList<string>> VersionsAsync(int count, params (string Name, string Value)[] headers)
    {
        var versions = new List<string>();
        for (var i = 0; i < count; i++)
        {
            versions.Add((await GetAsync("/", headers)).Version);
        }

        return versions;
    }

    /// <summary>Waits (without sleeping) until the proxy's routes satisfy the condition.</summary>
    public async Task WaitForRoutesAsync(Func<ProxyRoutes, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await Proxy.WaitForRoutesAsync(condition, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        await Cluster.DisposeAsync();
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
