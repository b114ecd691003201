using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;
using Canary.Testing.Kubernetes;
using FakeRequest = Canary.Testing.Kubernetes.RecordedRequest;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeKubernetesApiServer"/> with namespace <c>test</c> and the canary.dev CRDs served, plus the real clients,
/// caches and controllers that tests build over it; disposing it disposes them all.
/// </summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    public const string Namespace = "test";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _clients = [];

    private FakeCluster(FakeKubernetesApiServer server)
    {
        Server = server;
    }

    public FakeKubernetesApiServer Server { get; }

    public static async Task<FakeCluster> StartAsync(TimeProvider? clock = null)
    {
        var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { TimeProvider = clock ?? TimeProvider.System });
        await server.StartAsync();
        server.CreateNamespace(Namespace);
        server.RegisterCustomResource(CanaryResourceTypes.DefaultGroup, CanaryResourceTypes.DefaultVersion, "canaries", "Canary", hasStatusSubresource: true);
        server.RegisterCustomResource(CanaryResourceTypes.FlaggerGroup, CanaryResourceTypes.FlaggerVersion, "canaries", "Canary", hasStatusSubresource: true);
        return new FakeCluster(server);
    }

    public KubernetesClientConfiguration Configuration => new() { Host = Server.BaseAddress, AccessToken = "fake-token", Namespace = Namespace };

    public static KubernetesClientOptions ClientOptions(string userAgent) => new()
    {
        RetryBaseDelay = TimeSpan.Zero,
        UseJitter = false,
        UserAgent = userAgent,
    };

    public KubernetesApiClient Client(string userAgent = "canary-test")
    {
        var client = new KubernetesApiClient(Configuration, ClientOptions(userAgent));
        _clients.Add(client);
        return client;
    }

    public KubernetesObjectCache Cache(IKubernetesApi api)
    {
        var cache = new KubernetesObjectCache(api);
        _owned.Add(cache);
        return cache;
    }

    /// <summary>A controller over its own client and cache, as one engine replica has.</summary>
    public (KubernetesWorkloadController Controller, KubernetesObjectCache Cache, KubernetesApiClient Client) Controller(
        TimeProvider? clock = null, KubernetesWorkloadOptions? options = null, string userAgent = "canary-test")
    {
        var client = Client(userAgent);
        var cache = Cache(client);
        return (new KubernetesWorkloadController(client, cache, options, clock), cache, client);
    }

    public JsonObject Seed(JsonObject obj) => Server.PutObject(obj);

    public JsonObject? Deployment(string name) => Server.GetObject("apps/v1", "Deployment", name, Namespace);

    public JsonObject? Service(string name) => Server.GetObject("v1", "Service", name, Namespace);

    public JsonObject? Get(string apiVersion, string kind, string name) => Server.GetObject(apiVersion, kind, name, Namespace);

    /// <summary>The requests answered after <paramref name="mark"/> (a count of <see cref="FakeKubernetesApiServer.Requests"/>), watches left out.</summary>
    public IReadOnlyList<FakeRequest> RequestsSince(int mark) => Server.Requests.Skip(mark).Where(r => !r.IsWatch).ToList();

    public static bool IsWrite(FakeRequest request) => request.Method is "POST" or "PUT" or "PATCH" or "DELETE";

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }
}
