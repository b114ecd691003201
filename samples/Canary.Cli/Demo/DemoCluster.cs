using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Canary.Kubernetes.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Cli.Demo;

/// <summary>
/// The demo's pods: follows the Deployments of one namespace through the Kubernetes API (a <see cref="KubernetesInformer"/>, so
/// changes arrive by watch, not by polling) and keeps running <see cref="DemoPod"/>s per Deployment, each running the version of
/// the Deployment's image tag with that version's behaviour: either as many as its <c>status.readyReplicas</c> says, or, with
/// <see cref="DemoClusterOptions.ManageDeploymentStatus"/>, as many as its <c>spec.replicas</c> asks, reporting them in its status
/// once they serve. It also follows the namespace's Services, so that a Service name resolves to the ready pods its selector matches.
/// </summary>
/// <remarks>
/// All the pods of a Deployment run its current pod template: when the template changes, pods of the new one are started while the
/// old ones serve, then replace them all at once, where a real rolling update would run both for a while.
/// </remarks>
public sealed class DemoCluster : IAsyncDisposable
{
    private const string HashAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    // Each pod is a Kestrel server: a typo of 1000 replicas must not start a thousand.
    private const int MaxPodsPerDeployment = 20;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private readonly IKubernetesApi _api;
    private readonly DemoClusterOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KubernetesInformer _deployments;
    private readonly KubernetesInformer _services;
    private readonly Dictionary<string, DemoPodBehavior> _versions;
    private readonly Lock _versionsGate = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly ChangeSignal _changed = new();
    private readonly Dictionary<string, List<RunningPod>> _running = new(StringComparer.Ordinal);
    private readonly Random _names;
    private readonly HttpClient _probe = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
    private Snapshot _snapshot = Snapshot.Empty;
    private ITimer? _readinessTimer;
    private Task _informerTasks = Task.CompletedTask;
    private Task _syncLoop = Task.CompletedTask;
    private int _podCounter;
    private int _syncing;
    private bool _started;

    /// <summary>Initializes a new instance of the <see cref="DemoCluster"/> class; call <see cref="StartAsync"/> to start following the API.</summary>
    /// <param name="api">The Kubernetes API (the demo's fake API server, or any other).</param>
    /// <param name="options">The namespace, the behaviour of each version and the seed.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public DemoCluster(IKubernetesApi api, DemoClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The DemoClusterOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        _options = options;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _logger = options.LoggerFactory?.CreateLogger("Canary.Cli.Demo.DemoCluster") ?? NullLogger.Instance;
        _versions = new Dictionary<string, DemoPodBehavior>(options.Versions, StringComparer.Ordinal);
        _names = new Random(options.Seed);
        var informerOptions = new KubernetesInformerOptions
        {
            MinBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(2),
            TimeProvider = _timeProvider,
            LoggerFactory = options.LoggerFactory,
        };
        _deployments = new KubernetesInformer(api, ResourceType.Deployments, options.Namespace, informerOptions);
        _services = new KubernetesInformer(api, ResourceType.Services, options.Namespace, informerOptions);
        _deployments.Changed += (_, _) => _wake.Writer.TryWrite(true);
        _services.Changed += (_, _) => _wake.Writer.TryWrite(true);
    }

    /// <summary>Raised after the pods or the Services changed, on the cluster's own task; handlers should be quick.</summary>
    public event EventHandler? PodsChanged;

    /// <summary>Gets the namespace the cluster follows.</summary>
    public string Namespace => _options.Namespace;

    /// <summary>Gets every running pod.</summary>
    public IReadOnlyList<DemoPod> Pods => Volatile.Read(ref _snapshot).Pods.Values.SelectMany(pods => pods).ToList();

    /// <summary>
    /// Starts following the API: waits until the Deployments and Services are listed and the pods they call for are running.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the first pods serve.</returns>
    /// <exception cref="InvalidOperationException">The cluster was already started.</exception>
    /// <exception cref="KubernetesException">The API refused to list Deployments or Services.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The demo cluster is already started.");
        }

        _started = true;

        // A first list outside the informers turns a misconfigured API into an error here instead of endless retries.
        await _api.ListAsync(ResourceType.Deployments, Namespace, new ListOptions { Limit = 1 }, cancellationToken);
        await _api.ListAsync(ResourceType.Services, Namespace, new ListOptions { Limit = 1 }, cancellationToken);
        _informerTasks = Task.WhenAll(_deployments.RunAsync(_stop.Token), _services.RunAsync(_stop.Token));
        await Task.WhenAll(_deployments.WaitForSyncAsync(cancellationToken), _services.WaitForSyncAsync(cancellationToken));
        await SyncAsync(cancellationToken);
        _syncLoop = Task.Run(SyncLoopAsync, CancellationToken.None);
    }

    /// <summary>Gets the informers the cluster follows the API with, for a driver of virtual time that waits until they caught up.</summary>
    internal IEnumerable<KubernetesInformer> Informers => [_deployments, _services];

    /// <summary>Gets a value indicating whether no change waits to be applied and none is being applied.</summary>
    internal bool IsIdle => Volatile.Read(ref _syncing) == 0 && _wake.Reader.Count == 0;

    /// <summary>Returns the running pods of a Deployment.</summary>
    /// <param name="deployment">The Deployment's name.</param>
    /// <returns>The pods, oldest first; empty when it has none.</returns>
    public IReadOnlyList<DemoPod> PodsOf(string deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return Volatile.Read(ref _snapshot).Pods.TryGetValue(deployment, out var pods) ? pods : [];
    }

    /// <summary>Resolves a Service to the running pods its selector matches, as its endpoints would.</summary>
    /// <param name="service">The Service's name.</param>
    /// <param name="pods">The pods; empty for a Service without a selector.</param>
    /// <returns><see langword="false"/> when the namespace has no such Service.</returns>
    public bool TryGetServiceEndpoints(string service, [NotNullWhen(true)] out IReadOnlyList<DemoPod>? pods)
    {
        ArgumentNullException.ThrowIfNull(service);
        var snapshot = Volatile.Read(ref _snapshot);
        if (!snapshot.Selectors.TryGetValue(service, out var selector))
        {
            pods = null;
            return false;
        }

        // Like the endpoints controller, a Service without a selector gets no pods.
        pods = selector.Count == 0
            ? []
            : snapshot.Pods.Values.SelectMany(list => list)
                .Where(pod => selector.All(pair => pod.Labels.TryGetValue(pair.Key, out var value) && value == pair.Value))
                .ToList();
        return true;
    }

    /// <summary>Returns the behaviour of a version.</summary>
    /// <param name="version">The version (an image tag).</param>
    /// <returns>Its behaviour, or the default behaviour for a version never configured.</returns>
    public DemoPodBehavior BehaviorOf(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_versionsGate)
        {
            return _versions.GetValueOrDefault(version, _options.DefaultBehavior);
        }
    }

    /// <summary>Sets the behaviour of a version, for its running pods and those started later.</summary>
    /// <param name="version">The version (an image tag).</param>
    /// <param name="behavior">The new behaviour.</param>
    /// <exception cref="ArgumentException">The behaviour is invalid.</exception>
    public void SetBehavior(string version, DemoPodBehavior behavior)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(behavior);
        behavior.EnsureValid(nameof(behavior));
        lock (_versionsGate)
        {
            _versions[version] = behavior;
        }

        foreach (var pod in Pods.Where(p => p.Version == version))
        {
            pod.Behavior = behavior;
        }
    }

    /// <summary>Waits until a condition on the cluster holds, checking it now and after every change to the pods or Services.</summary>
    /// <param name="condition">The condition, for example <c>c =&gt; c.PodsOf("podinfo").Count == 2</c>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    public Task WaitUntilAsync(Func<DemoCluster, bool> condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return _changed.WaitUntilAsync(() => condition(this), cancellationToken);
    }

    /// <summary>Stops following the API and stops every pod.</summary>
    /// <returns>A task that completes when every pod has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _wake.Writer.TryComplete();
        await _syncLoop;
        await _informerTasks;
        _readinessTimer?.Dispose();
        _probe.Dispose();
        var pods = _running.Values.SelectMany(list => list).Select(running => running.Pod).ToList();
        _running.Clear();
        Volatile.Write(ref _snapshot, Snapshot.Empty);
        await Task.WhenAll(pods.Select(pod => pod.DisposeAsync().AsTask()));
        _stop.Dispose();
    }

    private async Task SyncLoopAsync()
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(_stop.Token))
            {
                // Busy before the wake is taken, so that IsIdle never sees neither a wake nor a sync.
                Interlocked.Increment(ref _syncing);
                try
                {
                    while (_wake.Reader.TryRead(out _))
                    {
                    }

                    await SyncAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Could not bring the demo pods in line with the Deployments; trying again at the next change");
                }
                finally
                {
                    Interlocked.Decrement(ref _syncing);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    // Runs on one task at a time (the start, then the loop), so _running needs no lock.
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var deployments = _deployments.List();
        var desired = deployments
            .Select(d => Describe(d, _options.ManageDeploymentStatus))
            .Where(d => d is not null)
            .ToDictionary(d => d!.Name, d => d!, StringComparer.Ordinal);
        var stopping = new List<DemoPod>();
        foreach (var name in _running.Keys.Where(name => !desired.ContainsKey(name)).ToList())
        {
            stopping.AddRange(_running[name].Select(r => r.Pod));
            _running.Remove(name);
        }

        var starting = new List<(string Deployment, DemoPod Pod, string Template)>();
        foreach (var deployment in desired.Values)
        {
            var pods = _running.TryGetValue(deployment.Name, out var list) ? list : _running[deployment.Name] = [];

            // Pods of an old template keep serving until those of the new one are up: the snapshot below swaps them at once.
            stopping.AddRange(pods.Where(p => p.Template != deployment.Template).Select(p => p.Pod));
            pods.RemoveAll(p => p.Template != deployment.Template);
            while (pods.Count > deployment.Wanted)
            {
                stopping.Add(pods[^1].Pod);
                pods.RemoveAt(pods.Count - 1);
            }

            for (var i = pods.Count; i < deployment.Wanted; i++)
            {
                starting.Add((deployment.Name, CreatePod(deployment), deployment.Template));
            }
        }

        var started = await Task.WhenAll(starting.Select(async s =>
        {
            try
            {
                await s.Pod.StartAsync(cancellationToken);
                await ProbeAsync(s.Pod, cancellationToken);
                return (s.Deployment, Pod: new RunningPod(s.Pod, s.Template, _timeProvider.GetUtcNow() + _options.ReadinessDelay));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Could not start demo pod {Pod}", s.Pod.Name);
                await s.Pod.DisposeAsync();
                return (s.Deployment, Pod: (RunningPod?)null);
            }
        }));
        foreach (var (deployment, pod) in started)
        {
            if (pod is not null)
            {
                _running[deployment].Add(pod);
            }
        }

        foreach (var name in _running.Where(pair => pair.Value.Count == 0).Select(pair => pair.Key).ToList())
        {
            _running.Remove(name);
        }

        // Publish first, so that no request is sent to a pod that is stopping, and no Deployment reports a pod that does not serve.
        var now = _timeProvider.GetUtcNow();
        Volatile.Write(ref _snapshot, new Snapshot(
            _running.ToDictionary(
                pair => pair.Key,
                pair => (IReadOnlyList<DemoPod>)pair.Value.Where(r => r.ReadyAt <= now).Select(r => r.Pod).ToList(),
                StringComparer.Ordinal),
            _services.List().Where(s => KubernetesObject.GetName(s) is not null)
                .ToDictionary(s => KubernetesObject.GetName(s)!, SelectorOf, StringComparer.Ordinal)));
        _changed.Notify();
        PodsChanged?.Invoke(this, EventArgs.Empty);
        if (_options.ManageDeploymentStatus)
        {
            await WriteStatusesAsync(deployments, now, cancellationToken);
        }

        ScheduleReadiness(now);
        await Task.WhenAll(stopping.Select(pod => pod.DisposeAsync().AsTask()));
    }

    /// <summary>
    /// Calls the pod's <c>/readyz</c> once, as the kubelet's readiness probe would, so that the first user request does not pay for
    /// a fresh server's first request.
    /// </summary>
    private async Task ProbeAsync(DemoPod pod, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            using var response = await _probe.GetAsync(new Uri(pod.Address, "readyz"), timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "The readiness probe of demo pod {Pod} failed", pod.Name);
        }
    }

    /// <summary>Wakes the loop when the next started pod becomes ready.</summary>
    private void ScheduleReadiness(DateTimeOffset now)
    {
        var next = _running.Values.SelectMany(pods => pods).Where(p => p.ReadyAt > now).Select(p => (DateTimeOffset?)p.ReadyAt).Min();
        _readinessTimer?.Dispose();
        _readinessTimer = next is { } due
            ? _timeProvider.CreateTimer(_ => _wake.Writer.TryWrite(true), null, due - now, Timeout.InfiniteTimeSpan)
            : null;
    }

    /// <summary>Reports each Deployment's pods in its status, as the kubelet and the deployment controller would.</summary>
    private async Task WriteStatusesAsync(IReadOnlyList<JsonObject> deployments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var deployment in deployments)
        {
            var name = KubernetesObject.GetName(deployment);
            if (name is null || deployment["metadata"]?["deletionTimestamp"] is not null)
            {
                continue;
            }

            var pods = _running.TryGetValue(name, out var list) ? list : [];
            var status = DeploymentStatus.Compute(deployment, pods.Count, pods.Count(p => p.ReadyAt <= now), now);
            if (status is null)
            {
                continue;
            }

            try
            {
                await _api.PatchAsync(
                    ResourceType.Deployments, Namespace, name, KubernetesPatch.Merge(new JsonObject { ["status"] = status }),
                    subresource: "status", cancellationToken: cancellationToken);
            }
            catch (KubernetesException ex) when (ex.IsNotFound)
            {
                // Deleted meanwhile: nothing to report.
            }
        }
    }

    private DemoPod CreatePod(DesiredDeployment deployment)
    {
        var index = Interlocked.Increment(ref _podCounter);
        var name = $"{deployment.Name}-{Hash(deployment.Template)}-{Suffix()}";
        return new DemoPod(name, deployment.Version, BehaviorOf(deployment.Version), unchecked((_options.Seed * 7919) + index), _timeProvider)
        {
            Deployment = deployment.Name,
            Labels = deployment.Labels,
            ReportsLatency = _options.ReportLatency,
        };
    }

    private string Suffix()
    {
        var text = new StringBuilder(5);
        for (var i = 0; i < 5; i++)
        {
            text.Append(HashAlphabet[_names.Next(HashAlphabet.Length)]);
        }

        return text.ToString();
    }

    // A pod-template-hash lookalike: stable for a template, in the alphabet Kubernetes uses.
    private static string Hash(string template)
    {
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(template))
        {
            hash = (hash ^ b) * 16777619;
        }

        var text = new StringBuilder(10);
        for (var i = 0; i < 10; i++)
        {
            text.Append(HashAlphabet[(int)(hash % (uint)HashAlphabet.Length)]);
            hash = (hash / (uint)HashAlphabet.Length) ^ (hash * 31);
        }

        return text.ToString();
    }

    private static DesiredDeployment? Describe(JsonObject deployment, bool manageStatus)
    {
        var name = KubernetesObject.GetName(deployment);
        if (name is null || deployment["metadata"]?["deletionTimestamp"] is not null)
        {
            return null;
        }

        var template = deployment["spec"]?["template"] as JsonObject;
        var image = template?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? "latest";
        var labels = (template?["metadata"]?["labels"] as JsonObject ?? [])
            .Where(pair => pair.Value is JsonValue)
            .ToDictionary(pair => pair.Key, pair => pair.Value!.ToString(), StringComparer.Ordinal);
        // Managing the status, the pods follow spec.replicas and the status follows the pods; otherwise the pods follow the status.
        var wanted = manageStatus
            ? RouteMatching.Integer(deployment["spec"]?["replicas"]) ?? 1
            : RouteMatching.Integer(deployment["status"]?["readyReplicas"]) ?? 0;
        return new DesiredDeployment(name, DemoImage.VersionOf(image), template?.ToJsonString() ?? string.Empty, labels, (int)Math.Clamp(wanted, 0, MaxPodsPerDeployment));
    }

    private static IReadOnlyDictionary<string, string> SelectorOf(JsonObject service) =>
        (service["spec"]?["selector"] as JsonObject ?? [])
            .Where(pair => pair.Value is JsonValue)
            .ToDictionary(pair => pair.Key, pair => pair.Value!.ToString(), StringComparer.Ordinal);

    private sealed record DesiredDeployment(string Name, string Version, string Template, IReadOnlyDictionary<string, string> Labels, int Wanted);

    private sealed record RunningPod(DemoPod Pod, string Template, DateTimeOffset ReadyAt);

    private sealed record Snapshot(
        IReadOnlyDictionary<string, IReadOnlyList<DemoPod>> Pods,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Selectors)
    {
        public static Snapshot Empty { get; } = new(
            new Dictionary<string, IReadOnlyList<DemoPod>>(StringComparer.Ordinal),
            new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal));
    }
}
