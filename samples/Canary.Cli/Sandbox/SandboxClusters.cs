using Canary.Cli.Demo;
using Canary.Kubernetes.Client;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Sandbox;

/// <summary>
/// The sandbox's kubelet and deployment controller: a <see cref="DemoCluster"/> per namespace, which runs real pods for each
/// Deployment's replicas and reports them ready once they serve. A namespace gets its pods as soon as it exists.
/// </summary>
internal sealed class SandboxClusters : IAsyncDisposable
{
    private readonly IKubernetesApi _api;
    private readonly SandboxOptions _options;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly KubernetesInformer _namespaces;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<DemoCluster>> _clusters = new(StringComparer.Ordinal);
    private Task _watching = Task.CompletedTask;

    public SandboxClusters(IKubernetesApi api, SandboxOptions options, ILoggerFactory? loggerFactory)
    {
        _api = api;
        _options = options;
        _loggerFactory = loggerFactory;
        _namespaces = new KubernetesInformer(api, ResourceType.Namespaces, null, new KubernetesInformerOptions
        {
            MinBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(2),
            LoggerFactory = loggerFactory,
        });
        _namespaces.Changed += (_, change) =>
        {
            if (change.Type != WatchEventType.Deleted && KubernetesObject.GetName(change.Object) is { } name && !IsSystem(name))
            {
                _ = GetAsync(name);
            }
        };
    }

    /// <summary>Starts following the namespaces; returns once the pods of those that exist run.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _watching = _namespaces.RunAsync(_stop.Token);
        await _namespaces.WaitForSyncAsync(cancellationToken);
        var names = _namespaces.List().Select(KubernetesObject.GetName).OfType<string>().Where(name => !IsSystem(name));
        await Task.WhenAll(names.Select(GetAsync));
    }

    /// <summary>Returns the pods of a namespace, starting them first if needed.</summary>
    public Task<DemoCluster> GetAsync(string namespaceName)
    {
        lock (_gate)
        {
            if (!_clusters.TryGetValue(namespaceName, out var cluster))
            {
                cluster = StartClusterAsync(namespaceName);
                _clusters[namespaceName] = cluster;
            }

            return cluster;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        List<Task<DemoCluster>> clusters;
        lock (_gate)
        {
            clusters = _clusters.Values.ToList();
            _clusters.Clear();
        }

        foreach (var cluster in clusters)
        {
            try
            {
                await (await cluster).DisposeAsync();
            }
            catch (Exception ex) when (ex is KubernetesException or HttpRequestException or OperationCanceledException)
            {
                // It never started; nothing runs.
            }
        }

        _stop.Dispose();
    }

    private async Task<DemoCluster> StartClusterAsync(string namespaceName)
    {
        var options = new DemoClusterOptions
        {
            Namespace = namespaceName,
            ManageDeploymentStatus = true,
            Seed = _options.Seed,
            LoggerFactory = _loggerFactory,
        };
        foreach (var (version, behavior) in _options.Versions)
        {
            options.Versions[version] = behavior;
        }

        var cluster = new DemoCluster(_api, options);
        await cluster.StartAsync(_stop.Token);
        return cluster;
    }

    private static bool IsSystem(string namespaceName) => namespaceName.StartsWith("kube-", StringComparison.Ordinal);
}
