using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Workloads;

/// <summary>
/// Reads Kubernetes objects through informers, so that a reconcile step that changes nothing makes no request. One informer
/// runs per resource type and namespace, started by the first read there and stopped when the cache is disposed; the
/// workload controller, the status store and routers can share one cache.
/// </summary>
/// <remarks>
/// An informer's copy lags the server. So that a caller reads its own writes, it calls <see cref="Invalidate"/> after a write:
/// reads of that object then go to the server until the informer holds the version the server returned, and come from memory
/// again from then on. Until an informer has listed once, reads of its type and namespace go to the server.
/// </remarks>
public sealed class KubernetesObjectCache : IAsyncDisposable, IDisposable
{
    private const string Deleted = "\0deleted";
    private readonly IKubernetesApi _api;
    private readonly KubernetesObjectCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Resource, string Namespace), Lazy<Feed>> _feeds = new();

    // Objects whose informer copy may be older than what the server holds: the value is the resourceVersion the informer
    // must reach before its copy is trusted again, or null while that version is not known yet.
    private readonly ConcurrentDictionary<(string Resource, string Key), string?> _stale = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="KubernetesObjectCache"/> class.</summary>
    /// <param name="api">The API to list, watch and read through.</param>
    /// <param name="options">Timeouts and what to cache, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public KubernetesObjectCache(IKubernetesApi api, KubernetesObjectCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        options ??= new KubernetesObjectCacheOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The KubernetesObjectCacheOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _logger = options.LoggerFactory?.CreateLogger("Canary.Kubernetes.Cache") ?? NullLogger.Instance;
    }

    /// <summary>Gets the number of informers started so far.</summary>
    public int InformerCount => _feeds.Count;

    /// <summary>Gets the number of objects whose reads go to the server until their informer catches up.</summary>
    public int PendingCount => _stale.Count;

    /// <summary>Reads an object: from the informer of its type and namespace when it is current, from the server otherwise.</summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A copy of the object that the caller may change, or <see langword="null"/> when it does not exist.</returns>
    /// <exception cref="KubernetesException">The server refused a read that the informer could not serve.</exception>
    public async Task<JsonObject?> GetAsync(ResourceType resource, string namespaceName, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var informer = await SyncedInformerAsync(resource, namespaceName, cancellationToken);
        if (informer is null)
        {
            return await _api.TryGetAsync(resource, namespaceName, name, cancellationToken);
        }

        var staleKey = (resource.ToString(), KubernetesObject.Key(namespaceName, name));
        if (!_stale.TryGetValue(staleKey, out var expected))
        {
            return informer.TryGet(namespaceName, name, out var cached) ? cached : null;
        }

        if (expected is not null && Matches(informer, namespaceName, name, expected, out var current))
        {
            _stale.TryRemove(KeyValuePair.Create(staleKey, (string?)expected));
            return current;
        }

        var fresh = await _api.TryGetAsync(resource, namespaceName, name, cancellationToken);
        var version = fresh is null ? Deleted : KubernetesObject.GetResourceVersion(fresh) ?? Deleted;
        _stale[staleKey] = version;

        // The informer may have delivered that very version between the read and the line above; its event then found no
        // version to compare with, so compare now.
        if (Matches(informer, namespaceName, name, version, out _))
        {
            _stale.TryRemove(KeyValuePair.Create(staleKey, (string?)version));
        }

        return fresh;
    }

    /// <summary>
    /// Marks an object as changed on the server (typically by the caller's own write), so that reads do not return the informer's
    /// older copy. With the <paramref name="resourceVersion"/> the write returned, the informer's copy is trusted again as soon as
    /// it reaches that version; without it, the next read goes to the server to learn the current version. Objects of a type and
    /// namespace that no informer watches are not tracked.
    /// </summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="resourceVersion">The version the server returned for the write, or <see langword="null"/> when unknown or when others
    /// are expected to change the object right after (a Deployment's status).</param>
    public void Invalidate(ResourceType resource, string namespaceName, string name, string? resourceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_feeds.TryGetValue((resource.ToString(), namespaceName), out var feed))
        {
            return;
        }

        var key = (resource.ToString(), KubernetesObject.Key(namespaceName, name));
        _stale[key] = resourceVersion;
        if (resourceVersion is not null && feed.IsValueCreated && Matches(feed.Value.Informer, namespaceName, name, resourceVersion, out _))
        {
            _stale.TryRemove(KeyValuePair.Create(key, (string?)resourceVersion));
        }
    }

    /// <summary>Stops every informer and waits for them to end.</summary>
    /// <returns>A task that completes when the informers have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var feed in _feeds.Values.Where(f => f.IsValueCreated))
        {
            try
            {
                await feed.Value.Run;
            }
            catch (OperationCanceledException)
            {
                // Stopping is what was asked for.
            }
        }

        _stopping.Dispose();
    }

    /// <summary>Stops every informer without waiting for them to end.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>
    /// Waits until the informers hold every version written through <see cref="Invalidate"/>. With <paramref name="readUnknown"/>,
    /// objects whose version is not known are read first (a request each), so that afterwards no read goes to the server;
    /// without it, they are left for their next read.
    /// </summary>
    /// <param name="readUnknown">Whether to read objects whose written version is not known.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the informers have caught up.</returns>
    internal async Task WaitUntilCurrentAsync(bool readUnknown, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            foreach (var (key, expected) in _stale)
            {
                if (expected is null && readUnknown)
                {
                    // Nobody has read it since it changed; read it now so that the version to wait for is known.
                    var (resource, namespaceName, name) = Split(key);
                    await GetAsync(resource, namespaceName, name, cancellationToken);
                }
            }

            if (_stale.Values.All(expected => expected is null && !readUnknown))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Returns a task that completes at the next change any informer of this cache sees.</summary>
    /// <returns>The task.</returns>
    internal Task NextChangeAsync() => Volatile.Read(ref _changed).Task;

    private (ResourceType Resource, string Namespace, string Name) Split((string Resource, string Key) key)
    {
        var slash = key.Key.IndexOf('/', StringComparison.Ordinal);
        var namespaceName = key.Key[..slash];
        var feed = _feeds[(key.Resource, namespaceName)].Value;
        return (feed.Informer.Resource, namespaceName, key.Key[(slash + 1)..]);
    }

    private static bool Matches(KubernetesInformer informer, string namespaceName, string name, string version, out JsonObject? current)
    {
        if (!informer.TryGet(namespaceName, name, out current))
        {
            return version == Deleted;
        }

        return KubernetesObject.GetResourceVersion(current) == version;
    }

    private async Task<KubernetesInformer?> SyncedInformerAsync(ResourceType resource, string namespaceName, CancellationToken cancellationToken)
    {
        if (resource == ResourceType.Secrets && !_options.CacheSecrets)
        {
            return null;
        }

        var feed = _feeds.GetOrAdd((resource.ToString(), namespaceName), key => new Lazy<Feed>(() => Start(resource, key.Namespace))).Value;
        if (feed.Informer.HasSynced)
        {
            return feed.Informer;
        }

        if (Volatile.Read(ref feed.GaveUpWaiting))
        {
            return null;
        }

        try
        {
            await feed.Informer.WaitForSyncAsync(cancellationToken).WaitAsync(_options.SyncTimeout, _time, cancellationToken);
            return feed.Informer;
        }
        catch (TimeoutException)
        {
            Volatile.Write(ref feed.GaveUpWaiting, true);
            WorkloadLog.CacheNotSynced(_logger, resource, namespaceName, _options.SyncTimeout);
            return null;
        }
    }

    private Feed Start(ResourceType resource, string namespaceName)
    {
        var informer = new KubernetesInformer(_api, resource, namespaceName, new KubernetesInformerOptions
        {
            WatchTimeout = _options.WatchTimeout,
            MinBackoff = _options.MinBackoff,
            MaxBackoff = TimeSpan.FromSeconds(30),
            TimeProvider = _options.TimeProvider,
            LoggerFactory = _options.LoggerFactory,
        });
        informer.Changed += OnChanged;
        var token = _stopping.Token;
        var run = Task.Run(() => informer.RunAsync(token), CancellationToken.None);
        WorkloadLog.CacheStarted(_logger, resource, namespaceName);
        return new Feed(informer, run);
    }

    private void OnChanged(object? sender, InformerChangedEventArgs change)
    {
        var informer = (KubernetesInformer)sender!;
        var key = (informer.Resource.ToString(), change.Key);
        var version = change.Type == WatchEventType.Deleted ? Deleted : KubernetesObject.GetResourceVersion(change.Object);
        if (version is not null)
        {
            _stale.TryRemove(KeyValuePair.Create(key, (string?)version));
        }

        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private sealed class Feed(KubernetesInformer informer, Task run)
    {
        // A field, so that Volatile can read and write it.
        public bool GaveUpWaiting;

        public KubernetesInformer Informer { get; } = informer;

        public Task Run { get; } = run;
    }
}
