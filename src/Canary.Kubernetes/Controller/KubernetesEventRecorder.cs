using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Notifications;

namespace Canary.Kubernetes.Controller;

/// <summary>
/// Records each of the engine's events as a <c>core/v1</c> Event on its Canary object, as Flagger does, so that
/// <c>kubectl describe canary</c> and <c>kubectl get events</c> tell the rollout: <c>Normal</c> for information, <c>Warning</c>
/// for warnings and errors, the event's type (<c>WeightAdvanced</c>, <c>RolledBack</c>, …) as the reason.
/// </summary>
/// <remarks>
/// One request per event, plus a read of the Canary object for its uid when the cache has none. A failed write is left to the
/// engine, which logs it and goes on: events are a view of the rollout, never a condition of it.
/// </remarks>
public sealed class KubernetesEventRecorder : INotifier
{
    private readonly IKubernetesApi _api;
    private readonly KubernetesObjectCache? _cache;
    private readonly ResourceType _canaryResource;
    private readonly string _component;
    private readonly string _instance;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="KubernetesEventRecorder"/> class.</summary>
    /// <param name="api">The API the Events are written through.</param>
    /// <param name="cache">The cache the Canary objects' uids are read through, or <see langword="null"/> to read them from the server.</param>
    /// <param name="canaryResource">The Canary resource, or <see langword="null"/> for <c>canary.dev/v1</c>.</param>
    /// <param name="component">The reporting component.</param>
    /// <param name="instance">The reporting replica, for example the leader election identity.</param>
    /// <param name="timeProvider">The clock of the Events' timestamps and names, or <see langword="null"/> for the system clock.</param>
    public KubernetesEventRecorder(
        IKubernetesApi api, KubernetesObjectCache? cache = null, ResourceType? canaryResource = null, string component = "canary", string? instance = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        _api = api;
        _cache = cache;
        _canaryResource = canaryResource ?? CanaryResourceTypes.Canary();
        _component = component;
        _instance = instance ?? Environment.MachineName;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <exception cref="KubernetesException">The server refused the Event.</exception>
    public async ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(canaryEvent);
        var id = canary.Id;
        var obj = _cache is null
            ? await _api.TryGetAsync(_canaryResource, id.Namespace, id.Name, cancellationToken)
            : await _cache.GetAsync(_canaryResource, id.Namespace, id.Name, cancellationToken);
        var type = canaryEvent.Severity == AlertSeverity.Info ? "Normal" : "Warning";
        var body = EventObjects.Create(
            _canaryResource, id.Namespace, id.Name, obj is null ? null : KubernetesObject.GetUid(obj), type, canaryEvent.Type.ToString(), canaryEvent.Message,
            _component, _instance, _time.GetUtcNow());
        await _api.CreateAsync(ResourceType.Events, id.Namespace, body, cancellationToken);
    }
}
