using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Workloads;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Workloads;

/// <summary>
/// Runs a canary's workloads on Kubernetes as Flagger does. The user's Deployment (the target, <c>name</c>) is the canary
/// and is scaled to zero between rollouts; <c>name-primary</c> is a copy of it that serves the traffic, with the selector
/// label's value suffixed <c>-primary</c>; Services <c>svc</c> (apex, to the primary), <c>svc-primary</c> and
/// <c>svc-canary</c> select them; the ConfigMaps and Secrets the pods reference are copied as <c>name-primary</c>; an
/// autoscaler named by <c>autoscalerRef</c> gets a <c>-primary</c> copy that scales the primary.
/// </summary>
/// <remarks>
/// Reads go through a <see cref="KubernetesObjectCache"/>, so that the revision and readiness checks of every step cost no
/// request while nothing changes. Writes are merge patches of the fields this controller owns, never a PUT of an object read
/// into a partial model, so fields written by others survive. Generated objects carry the labels in <see cref="CanaryLabels"/>
/// and, when the canary exists as a custom resource, an owner reference to it.
/// </remarks>
public sealed partial class KubernetesWorkloadController : IWorkloadController
{
    private readonly IKubernetesApi _api;
    private readonly KubernetesObjectCache _cache;
    private readonly KubernetesWorkloadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="KubernetesWorkloadController"/> class.</summary>
    /// <param name="api">The API that writes go through.</param>
    /// <param name="cache">The cache that reads go through; the caller owns it.</param>
    /// <param name="options">Labels, field manager and config tracking, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock that readiness is judged by, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public KubernetesWorkloadController(
        IKubernetesApi api,
        KubernetesObjectCache cache,
        KubernetesWorkloadOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesWorkloadController>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(cache);
        options ??= new KubernetesWorkloadOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The KubernetesWorkloadOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        _cache = cache;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<KubernetesWorkloadController>.Instance;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Ensures, in this order: the <c>-canary</c> and <c>-primary</c> Services, the configuration copies, the primary Deployment
    /// and its autoscaler; then waits for the primary to be ready; only then points the apex Service at the primary, and only
    /// after that scales the target to zero, so that the apex Service never lacks ready pods.
    /// </remarks>
    public async ValueTask<bool> InitializeAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await ReadTargetAsync(canary, cancellationToken);
        var owner = new OwnerReference(this, canary);
        var revision = Revision(target);
        await EnsureServiceAsync(target, target.ServiceName + "-canary", target.SelectorValue, owner, cancellationToken);
        await EnsureServiceAsync(target, target.ServiceName + "-primary", target.PrimarySelectorValue, owner, cancellationToken);
        await SyncConfigCopiesAsync(target, owner, cancellationToken);
        var primary = await _cache.GetAsync(ResourceType.Deployments, target.Namespace, target.PrimaryName, cancellationToken);
        if (primary is null)
        {
            await CreateAsync(ResourceType.Deployments, target, PrimaryDeployment(target, revision, await owner.GetAsync(cancellationToken)), cancellationToken);

            // Read it back rather than judge the create's answer: the deployment controller may have acted on it already.
            primary = await _cache.GetAsync(ResourceType.Deployments, target.Namespace, target.PrimaryName, cancellationToken)
                ?? throw new InvalidOperationException($"Deployment {target.Namespace}/{target.PrimaryName} disappeared right after it was created.");
        }

        await SyncAutoscalerAsync(target, owner, cancellationToken);

        var readiness = DeploymentReadiness.Evaluate(primary, canary.Spec.ProgressDeadline, _time.GetUtcNow());
        if (readiness.State != WorkloadReadinessState.Ready)
        {
            WorkloadLog.InitializationWaits(_logger, canary.Id, target.PrimaryName, readiness.Reason);
            return false;
        }

        await EnsureServiceAsync(target, target.ServiceName, target.PrimarySelectorValue, owner, cancellationToken);
        if (target.Replicas != 0)
        {
            await ScaleAsync(target, 0, cancellationToken);
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The revision is the first 16 hex digits of a SHA-256 over the target's pod template and the data of every ConfigMap and
    /// Secret it references (with config tracking on), so that a configuration change alone is a new revision.
    /// </remarks>
    public async ValueTask<string> GetRevisionAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        Revision(await ReadTargetAsync(canary, cancellationToken));

    /// <inheritdoc />
    public async ValueTask<WorkloadReadiness> GetReadinessAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var target = canary.Spec.TargetRef.Name;
        var name = role switch
        {
            WorkloadRole.Primary => target + "-primary",
            WorkloadRole.Baseline => target + "-baseline",
            _ => target,
        };
        var deployment = await _cache.GetAsync(ResourceType.Deployments, canary.Id.Namespace, name, cancellationToken);
        return deployment is null
            ? WorkloadReadiness.Progressing($"deployment \"{name}\" not found")
            : DeploymentReadiness.Evaluate(deployment, canary.Spec.ProgressDeadline, _time.GetUtcNow());
    }

    /// <inheritdoc />
    public async ValueTask ScaleUpCanaryAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await ReadTargetAsync(canary, cancellationToken);
        var primary = await _cache.GetAsync(ResourceType.Deployments, target.Namespace, target.PrimaryName, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Deployment {target.Namespace}/{target.PrimaryName} does not exist: canary {canary.Id} must be initialized before its target is scaled up.");
        var replicas = (int)Math.Max(1, JsonTree.Integer(primary["spec"], "replicas") ?? 1);
        if (target.Replicas != replicas)
        {
            await ScaleAsync(target, replicas, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask ScaleDownCanaryAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await ReadTargetAsync(canary, cancellationToken);
        if (target.Replicas != 0)
        {
            await ScaleAsync(target, 0, cancellationToken);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Copies the configuration first, so that the primary's new pods find it, then patches the primary's pod template with
    /// the difference to the target's (selector label suffixed, configuration references renamed, revision annotated), and
    /// brings the primary's autoscaler up to date. Nothing is written when the primary already runs the target's revision.
    /// </remarks>
    public async ValueTask PromoteAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await ReadTargetAsync(canary, cancellationToken);
        var owner = new OwnerReference(this, canary);
        var primary = await _cache.GetAsync(ResourceType.Deployments, target.Namespace, target.PrimaryName, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Deployment {target.Namespace}/{target.PrimaryName} does not exist: canary {canary.Id} must be initialized before it is promoted.");
        await SyncConfigCopiesAsync(target, owner, cancellationToken);
        var template = PrimaryTemplate(target, Revision(target));
        if (JsonTree.MergePatch(primary["spec"]?["template"], template) is { } change)
        {
            await PatchAsync(ResourceType.Deployments, target, target.PrimaryName, new JsonObject { ["spec"] = new JsonObject { ["template"] = change } },
                "pod template copied from the target", cancellationToken);
        }

        await SyncAutoscalerAsync(target, owner, cancellationToken);
    }

    private async Task<TargetWorkload> ReadTargetAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var reference = canary.Spec.TargetRef;
        if (reference.Kind != "Deployment" || reference.ApiVersion is not ("apps/v1" or ""))
        {
            throw new NotSupportedException(
                $"spec.targetRef of canary {canary.Id}: {reference.ApiVersion} {reference.Kind} is not supported; the Kubernetes workload controller drives apps/v1 Deployments.");
        }

        var deployment = await _cache.GetAsync(ResourceType.Deployments, canary.Id.Namespace, reference.Name, cancellationToken)
            ?? throw new InvalidOperationException($"spec.targetRef of canary {canary.Id}: Deployment {canary.Id.Namespace}/{reference.Name} not found.");
        var matchLabels = JsonTree.StringMap(deployment["spec"]?["selector"]?["matchLabels"]);
        var label = _options.SelectorLabels.FirstOrDefault(matchLabels.ContainsKey)
            ?? throw new InvalidOperationException(
                $"Deployment {canary.Id.Namespace}/{reference.Name}: spec.selector.matchLabels has none of the selector labels " +
                $"({string.Join(", ", _options.SelectorLabels)}); add one, or name the label in KubernetesWorkloadOptions.SelectorLabels.");
        var target = new TargetWorkload(canary, deployment, label, matchLabels[label]);
        if (_options.ConfigTracking)
        {
            target.Configs = await ReadConfigsAsync(target, cancellationToken);
        }

        return target;
    }

    private async Task<IReadOnlyList<TargetWorkload.TrackedConfig>> ReadConfigsAsync(TargetWorkload target, CancellationToken cancellationToken)
    {
        var configs = new List<TargetWorkload.TrackedConfig>();
        foreach (var (resource, name) in ConfigReferences.Find(target.Template))
        {
            var obj = await _cache.GetAsync(resource, target.Namespace, name, cancellationToken);
            var annotations = JsonTree.StringMap(obj?["metadata"]?["annotations"]);
            if (annotations.GetValueOrDefault(CanaryLabels.ConfigTracking) == "disabled" || annotations.GetValueOrDefault(CanaryLabels.FlaggerConfigTracking) == "disabled")
            {
                continue;
            }

            configs.Add(new(resource, name, obj));
        }

        return configs;
    }

    private static string Revision(TargetWorkload target)
    {
        var text = new StringBuilder(JsonTree.Canonical(target.Template));
        foreach (var config in target.Configs)
        {
            text.Append('\n').Append(config.Resource.Kind).Append('/').Append(config.Name).Append('=');
            text.Append(config.Object is null ? "missing" : JsonTree.Canonical(ConfigData(config.Object)));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    /// <summary>The fields of a ConfigMap or Secret that pods see: what the revision covers and what the copy carries.</summary>
    private static JsonObject ConfigData(JsonObject config)
    {
        var data = new JsonObject();
        foreach (var field in new[] { "data", "binaryData" })
        {
            if (config[field] is JsonObject values)
            {
                data[field] = values.DeepClone();
            }
        }

        return data;
    }
}
