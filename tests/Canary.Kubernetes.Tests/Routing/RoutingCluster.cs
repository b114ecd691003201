using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Model;
using Canary.Testing.Kubernetes;
using Canary.Testing.Time;

namespace Canary.Kubernetes.Tests.Routing;

/// <summary>
/// A fake API server (real HTTP on 127.0.0.1, Deployment status only as seeded) with the client a router uses, and seeds for the
/// objects around canary "podinfo" in namespace "test": the target and primary Deployments and the Services.
/// </summary>
internal sealed class RoutingCluster : IAsyncDisposable
{
    public const string Namespace = "test";
    public const string TargetUid = "target-uid-1";

    private readonly KubernetesApiClient _client;

    private RoutingCluster(FakeKubernetesApiServer server)
    {
        Server = server;
        _client = new KubernetesApiClient(
            new KubernetesClientConfiguration { Host = server.BaseAddress },
            new KubernetesClientOptions { MaxRetryAttempts = 0, RetryBaseDelay = TimeSpan.Zero, UseJitter = false });
    }

    public FakeKubernetesApiServer Server { get; }

    public IKubernetesApi Api => _client;

    public static async Task<RoutingCluster> StartAsync()
    {
        var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions
        {
            TimeProvider = new ManualTimeProvider(),
            SimulateDeployments = false,
        });
        await server.StartAsync();
        return new RoutingCluster(server);
    }

    public static CanaryResource Canary(string provider, Func<CanarySpec, CanarySpec>? change = null)
    {
        var spec = new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
            Provider = provider,
            Service = new ServiceSpec { Port = 9898 },
            Analysis = new AnalysisSpec { StepWeight = 10, MaxWeight = 50 },
        };
        return new CanaryResource(new CanaryId("podinfo", Namespace), change is null ? spec : change(spec));
    }

    public static HttpMatch Header(string name, StringMatchKind kind, string value) =>
        new() { Headers = new Dictionary<string, StringMatch> { [name] = new(kind, value) } };

    /// <summary>Seeds a Deployment with the given spec replicas and ready replicas (status as a settled rollout).</summary>
    public JsonObject SeedDeployment(string name, int replicas, int ready, IDictionary<string, string>? templateLabels = null, string? uid = null)
    {
        var selector = new JsonObject { ["app"] = name };
        var labels = new JsonObject { ["app"] = name };
        foreach (var (key, value) in templateLabels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["generation"] = 1 };
        if (uid is not null)
        {
            metadata["uid"] = uid;
        }

        return Server.PutObject(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = selector },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "podinfo:1" }) },
                },
            },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 1,
                ["replicas"] = ready,
                ["updatedReplicas"] = ready,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
            },
        });
    }

    /// <summary>Seeds the target "podinfo" (owner of every routing object) and "podinfo-primary".</summary>
    public void SeedWorkloads(int primaryReplicas = 10, int targetReplicas = 0)
    {
        SeedDeployment("podinfo", targetReplicas, targetReplicas, uid: TargetUid);
        SeedDeployment("podinfo-primary", primaryReplicas, primaryReplicas);
    }

    public JsonObject SeedService(string name, IDictionary<string, string> selector, int port = 9898)
    {
        return Server.PutObject(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["selector"] = JsonSerializerCopy(selector),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["targetPort"] = "http" }),
            },
        });
    }

    /// <summary>Seeds the Flagger-style Services: apex and primary select the primary's pods, canary the target's.</summary>
    public void SeedServices()
    {
        SeedService("podinfo", new Dictionary<string, string> { ["app"] = "podinfo-primary" });
        SeedService("podinfo-primary", new Dictionary<string, string> { ["app"] = "podinfo-primary" });
        SeedService("podinfo-canary", new Dictionary<string, string> { ["app"] = "podinfo" });
    }

    public JsonObject? Get(string apiVersion, string kind, string name) => Server.GetObject(apiVersion, kind, name, Namespace);

    public JsonObject Require(string apiVersion, string kind, string name) =>
        Get(apiVersion, kind, name) ?? throw new InvalidOperationException($"{kind} {name} does not exist");

    /// <summary>The writes (POST, PUT, PATCH, DELETE) answered since the last <see cref="ClearRequests"/>, as "METHOD path".</summary>
    public IReadOnlyList<string> Writes() =>
        [.. Server.Requests.Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE").Select(r => $"{r.Method} {r.Path}")];

    public void ClearRequests() => Server.ClearRequests();

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Server.DisposeAsync();
    }

    private static JsonObject JsonSerializerCopy(IDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map)
        {
            obj[key] = value;
        }

        return obj;
    }
}
