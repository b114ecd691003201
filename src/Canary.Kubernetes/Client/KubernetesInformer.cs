using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Client;

/// <summary>
/// Keeps a local, thread-safe copy of a collection: lists it, then watches from the list's resource version, resumes from the last
/// version seen after a dropped connection (with bounded backoff), and lists again when the server says that version is gone
/// (410). Reads (<see cref="TryGet"/>, <see cref="List"/>) cost no request.
/// </summary>
/// <remarks>Start it with <see cref="RunAsync"/> on a background task; it runs until its token is cancelled.</remarks>
public sealed class KubernetesInformer
{
    private static readonly TimeSpan ShortestHealthyWatch = TimeSpan.FromSeconds(1);

    // How long past its own timeout a watch may stay open before the connection is presumed dead (no FIN ever arrived).
    private static readonly TimeSpan SilenceAllowance = TimeSpan.FromMinutes(1);
    private readonly IKubernetesApi _api;
    private readonly KubernetesInformerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly string _resourceName;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, JsonObject> _items = new(StringComparer.Ordinal);
    private string? _resourceVersion;
    private int _running;

    /// <summary>Initializes a new instance of the <see cref="KubernetesInformer"/> class.</summary>
    /// <param name="api">The API to list and watch through.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for all namespaces or cluster-scoped resources.</param>
    /// <param name="options">Selectors, paging and backoff, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public KubernetesInformer(IKubernetesApi api, ResourceType resource, string? namespaceName = null, KubernetesInformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new KubernetesInformerOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The KubernetesInformerOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        Resource = resource;
        _resourceName = resource.ToString();
        Namespace = namespaceName;
        _options = options;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _logger = options.LoggerFactory?.CreateLogger("Canary.Kubernetes.Informer") ?? NullLogger.Instance;
    }

    /// <summary>
    /// Raised after each change to the cache, on the informer's own task. A re-list raises the differences it finds, including
    /// deletions that happened while the watch was down. Handlers should be quick; exceptions they throw are logged and ignored.
    /// </summary>
    public event EventHandler<InformerChangedEventArgs>? Changed;

    /// <summary>Gets the watched resource type.</summary>
    public ResourceType Resource { get; }

    /// <summary>Gets the watched namespace, or <see langword="null"/> for all.</summary>
    public string? Namespace { get; }

    /// <summary>Gets a value indicating whether the first list has completed, so that the cache reflects the server.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Gets the last resource version seen, from the list, an event or a bookmark.</summary>
    public string? LastResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Gets how many objects the cache holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Reads an object from the cache.</summary>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="value">A copy of the object, which the caller may change freely.</param>
    /// <returns><see langword="true"/> when the object is in the cache.</returns>
    public bool TryGet(string? namespaceName, string name, [NotNullWhen(true)] out JsonObject? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (_items.TryGetValue(KubernetesObject.Key(namespaceName, name), out var stored))
            {
                value = (JsonObject)stored.DeepClone();
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Returns copies of every cached object.</summary>
    /// <returns>The objects, in no particular order.</returns>
    public IReadOnlyList<JsonObject> List()
    {
        lock (_gate)
        {
            return _items.Values.Select(item => (JsonObject)item.DeepClone()).ToList();
        }
    }

    /// <summary>Waits until the first list has completed.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once <see cref="HasSynced"/> is true.</returns>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the informer.</param>
    /// <returns>A task that completes when the informer stops.</returns>
    /// <exception cref="InvalidOperationException">The informer is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The informer is already running.");
        }

        try
        {
            await LoopAsync(cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var listing = false;
            try
            {
                if (needList)
                {
                    listing = true;
                    await RelistAsync(cancellationToken);
                    listing = false;
                    needList = false;
                }

                var (received, expired) = await WatchOnceAsync(cancellationToken);
                if (expired)
                {
                    needList = true;
                    failures = 0;
                    continue;
                }

                if (received.Events > 0 || received.Duration >= ShortestHealthyWatch)
                {
                    failures = 0;
                    continue;
                }

                // A watch that ends at once with nothing in it would otherwise turn into a tight loop of requests.
                failures++;
                await BackoffAsync(failures, new IOException("The watch ended at once without any event."), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesException ex) when (ex.IsGone && !listing)
            {
                // An expired continue token while listing falls through to the backoff below instead, so it cannot spin.
                Log.InformerRelisting(_logger, _resourceName, ex.Message);
                needList = true;
                failures = 0;
            }
            catch (Exception ex) when (ex is KubernetesException or HttpRequestException or IOException or TimeoutException
                or KubernetesCredentialException or JsonException)
            {
                failures++;
                try
                {
                    await BackoffAsync(failures, ex, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task BackoffAsync(int failures, Exception reason, CancellationToken cancellationToken)
    {
        var delay = BackoffDelay(failures);
        Log.InformerFailed(_logger, reason, _resourceName, LastResourceVersion, delay);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
    }

    private TimeSpan BackoffDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ticks = Math.Min(_options.MinBackoff.Ticks * factor, _options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var list = await _api.ListAllAsync(
            Resource,
            Namespace,
            new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize },
            cancellationToken);
        var listVersion = list["metadata"] is JsonObject metadata ? KubernetesObject.GetString(metadata, "resourceVersion") : null;
        var fresh = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = KeyOf(item);
            if (key is not null)
            {
                // Built-in list items come without apiVersion and kind; watch events carry them, so the cache always does.
                item["apiVersion"] ??= Resource.ApiVersion;
                item["kind"] ??= Resource.Kind;
                fresh[key] = item;
            }
        }

        var changes = new List<InformerChangedEventArgs>();
        lock (_gate)
        {
            foreach (var (key, item) in fresh)
            {
                if (!_items.TryGetValue(key, out var old))
                {
                    changes.Add(new(WatchEventType.Added, key, (JsonObject)item.DeepClone()));
                }
                else if (!string.Equals(KubernetesObject.GetResourceVersion(old), KubernetesObject.GetResourceVersion(item), StringComparison.Ordinal))
                {
                    changes.Add(new(WatchEventType.Modified, key, (JsonObject)item.DeepClone()));
                }
            }

            foreach (var (key, old) in _items)
            {
                if (!fresh.ContainsKey(key))
                {
                    changes.Add(new(WatchEventType.Deleted, key, (JsonObject)old.DeepClone()));
                }
            }

            _items = fresh;
            _resourceVersion = listVersion;
        }

        Log.InformerListed(_logger, _resourceName, fresh.Count, listVersion);
        _synced.TrySetResult();
        foreach (var change in changes)
        {
            Raise(change);
        }
    }

    private async Task<((int Events, TimeSpan Duration) Received, bool Expired)> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var events = 0;
        var options = new WatchOptions
        {
            ResourceVersion = LastResourceVersion,
            AllowWatchBookmarks = true,
            Timeout = _options.WatchTimeout,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
        };
        using var deadline = new CancellationTokenSource(_options.WatchTimeout + SilenceAllowance, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await foreach (var watchEvent in _api.WatchAsync(Resource, Namespace, options, linked.Token))
            {
                events++;
                if (watchEvent.Type == WatchEventType.Error)
                {
                    var status = watchEvent.Status!;
                    if (status.Code == 410 || status.Reason is "Expired" or "Gone")
                    {
                        Log.InformerRelisting(_logger, _resourceName, status.Message ?? "resource version expired");
                        return ((events, _timeProvider.GetElapsedTime(started)), true);
                    }

                    throw KubernetesException.FromStatus(status, $"watch {Resource}");
                }

                Apply(watchEvent);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The watch of {_resourceName} was still open {SilenceAllowance.TotalSeconds} seconds after its own timeout; the connection is presumed dead.");
        }

        return ((events, _timeProvider.GetElapsedTime(started)), false);
    }

    private void Apply(WatchEvent watchEvent)
    {
        var item = watchEvent.Object;
        InformerChangedEventArgs? change = null;
        lock (_gate)
        {
            if (watchEvent.ResourceVersion is { Length: > 0 } version)
            {
                _resourceVersion = version;
            }

            if (watchEvent.Type == WatchEventType.Bookmark || KeyOf(item) is not { } key)
            {
                return;
            }

            switch (watchEvent.Type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    _items[key] = item;
                    change = new(watchEvent.Type, key, (JsonObject)item.DeepClone());
                    break;
                case WatchEventType.Deleted:
                    _items.Remove(key);
                    change = new(WatchEventType.Deleted, key, (JsonObject)item.DeepClone());
                    break;
            }
        }

        if (change is not null)
        {
            Raise(change);
        }
    }

    private void Raise(InformerChangedEventArgs change)
    {
        try
        {
            Changed?.Invoke(this, change);
        }
        catch (Exception ex)
        {
            Log.InformerHandlerFailed(_logger, ex, _resourceName);
        }
    }

    private static string? KeyOf(JsonObject item) =>
        KubernetesObject.GetName(item) is { Length: > 0 } name ? KubernetesObject.Key(KubernetesObject.GetNamespace(item), name) : null;
}
