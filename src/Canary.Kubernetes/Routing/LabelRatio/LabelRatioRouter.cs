using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Routing.LabelRatio;

/// <summary>
/// Splits traffic without a proxy: the apex Service selects a label (<see cref="LabelRatioRouterOptions.TrafficLabel"/>) that the
/// primary's and the canary's pods share, so each ready pod gets an equal share and the canary's share is its ready replicas over
/// all ready replicas. A weight becomes replica counts of <c>target-primary</c> and the target (<see cref="ReplicaSplit.ForWeight"/>,
/// over the primary's scale before the run, kept in the <see cref="TotalReplicasAnnotation"/> annotation while the run lasts),
/// rounded so that the canary never gets more than requested; the result reports the share the counts give (9:1 is 10%).
/// </summary>
/// <remarks>
/// <para>
/// Only <c>spec.replicas</c>, the traffic label of the pod templates and the annotation are patched on the Deployments, and only the
/// selector on the apex Service; the apex Service is switched to the label only once the primary has rolled out pods that carry it,
/// so that a Service already serving users never loses its endpoints. The share is per connection, so keep-alive and HTTP/2 clients
/// skew it. A primary under a HorizontalPodAutoscaler fights these replica counts; this router is for fixed-scale workloads.
/// </para>
/// <para>
/// When the weight moves traffic back to the primary, the canary is scaled down only once the primary has a ready replica (a
/// transient <see cref="TrafficRouterException"/> until then), so that a blue/green switch back from 100% never leaves the Service
/// without endpoints.
/// </para>
/// <para>
/// A baseline (<c>target-baseline</c>, created by Canary for <c>analysis.baseline</c>) is given the same share as the canary: the same
/// replicas and the traffic label whenever the canary has it. The split is then <see cref="ReplicaSplit.ForWeightWithBaseline"/>: the
/// primary keeps its scale and the canary and the baseline get c replicas each, so the canary's share is c/(N+2c) and at most one third.
/// </para>
/// </remarks>
public sealed class LabelRatioRouter : ITrafficRouter
{
    /// <summary>The annotation on the primary Deployment that holds its scale before the run while the canary has replicas.</summary>
    public const string TotalReplicasAnnotation = "canary.dev/label-ratio-replicas";

    private readonly IKubernetesApi _api;
    private readonly string _label;
    private readonly bool _isolate;

    /// <summary>Initializes a new instance of the <see cref="LabelRatioRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="options">The traffic label and isolation, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The traffic label is not a valid label key.</exception>
    public LabelRatioRouter(IKubernetesApi api, IOptions<LabelRatioRouterOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var settings = options?.Value ?? new LabelRatioRouterOptions();
        var label = settings.TrafficLabel;
        if (string.IsNullOrWhiteSpace(label) || label.Any(c => char.IsWhiteSpace(c) || c is '=' or ',' or '!') ||
            label.Count(c => c == '/') > 1 || label.StartsWith('/') || label.EndsWith('/'))
        {
            throw new ArgumentException($"LabelRatioRouterOptions.TrafficLabel: must be a label key such as {LabelRatioRouterOptions.DefaultTrafficLabel} (got \"{label}\")", nameof(options));
        }

        _api = api;
        _label = label;
        _isolate = settings.Isolate;
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.LabelRatio;

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">The target Deployment does not exist.</exception>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = new CanaryNames(canary);
        var target = await RequireTargetAsync(names, cancellationToken);
        var primary = await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.PrimaryDeployment, cancellationToken);
        if (primary is not null)
        {
            primary = await PatchAsync(names.PrimaryDeployment, primary, LabelPatch(primary, names, wanted: true), cancellationToken);
        }

        if (!_isolate)
        {
            await PatchAsync(names.Target, target, LabelPatch(target, names, wanted: true), cancellationToken);
            if (await GetBaselineAsync(canary, names, cancellationToken) is { } baseline)
            {
                await PatchAsync(BaselineName(names), baseline, LabelPatch(baseline, names, wanted: true), cancellationToken);
            }
        }

        await EnsureApexAsync(canary, primary, mustBeInEffect: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reports the share the ready replicas give now: the canary's ready replicas, if they carry the label, over all ready replicas
    /// that carry it (the primary's, and the baseline's when there is one).
    /// </remarks>
    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = new CanaryNames(canary);
        var primary = await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.PrimaryDeployment, cancellationToken);
        if (primary is null)
        {
            return TrafficRoutes.PrimaryOnly;
        }

        var target = await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.Target, cancellationToken);
        var canaryReady = target is not null && HasLabel(target, names) ? Status(target, "readyReplicas") : 0;
        var baseline = await GetBaselineAsync(canary, names, cancellationToken);
        var baselineReady = baseline is not null && HasLabel(baseline, names) ? Status(baseline, "readyReplicas") : 0;
        return RouteWeights.FromRelative(Status(primary, "readyReplicas") + baselineReady, canaryReady);
    }

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">
    /// Transient: the primary does not exist yet, has no ready replica to take the traffic the canary gives back, or has not rolled
    /// out the traffic label that the apex Service is to select.
    /// </exception>
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var weight = RouteWeights.CanaryWeight(routes);
        var names = new CanaryNames(canary);
        var target = await RequireTargetAsync(names, cancellationToken);
        var primary = await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.PrimaryDeployment, cancellationToken)
            ?? throw TrafficRouterException.Transient($"Deployment \"{names.PrimaryDeployment}\" in namespace \"{names.Namespace}\" does not exist yet");

        var baseline = await GetBaselineAsync(canary, names, cancellationToken);
        var total = TotalReplicas(primary);
        var split = baseline is null ? ReplicaSplit.ForWeight(total, weight) : ReplicaSplit.ForWeightWithBaseline(total, weight);
        var primaryPatch = Merge(
            LabelPatch(primary, names, wanted: true),
            ReplicasPatch(primary, split.Primary),
            AnnotationPatch(primary, split.Canary > 0 ? total.ToString(CultureInfo.InvariantCulture) : null));
        primary = await PatchAsync(names.PrimaryDeployment, primary, primaryPatch, cancellationToken);

        var canaryReplicas = Replicas(target);
        if (split.Canary < canaryReplicas && split.Primary > 0 && Status(primary, "readyReplicas") == 0)
        {
            throw TrafficRouterException.Transient(
                $"Deployment \"{names.PrimaryDeployment}\" in namespace \"{names.Namespace}\" has no ready replica yet; " +
                $"the canary \"{names.Target}\" keeps {canaryReplicas} replicas until it has");
        }

        var canaryPatch = Merge(
            LabelPatch(target, names, wanted: !_isolate || split.Canary > 0),
            ReplicasPatch(target, split.Canary));
        await PatchAsync(names.Target, target, canaryPatch, cancellationToken);
        if (baseline is not null)
        {
            var baselinePatch = Merge(
                LabelPatch(baseline, names, wanted: !_isolate || split.Baseline > 0),
                ReplicasPatch(baseline, split.Baseline));
            await PatchAsync(BaselineName(names), baseline, baselinePatch, cancellationToken);
        }

        await EnsureApexAsync(canary, primary, mustBeInEffect: true, cancellationToken);
        return TrafficRoutes.ForCanary(split.CanaryWeight);
    }

    private static string BaselineName(CanaryNames names) => names.Target + "-baseline";

    /// <summary>
    /// Reads the baseline Deployment of a canary with <c>analysis.baseline</c>, or returns <see langword="null"/> when there is none
    /// that Canary created; a canary without a baseline costs no request.
    /// </summary>
    private async Task<JsonObject?> GetBaselineAsync(CanaryResource canary, CanaryNames names, CancellationToken cancellationToken) =>
        canary.Spec.Analysis.Baseline
        && await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, BaselineName(names), cancellationToken) is { } baseline
        && ManagedObjects.IsManaged(baseline)
            ? baseline
            : null;

    private static int Replicas(JsonObject deployment) => (int)(JsonPath.Integer(deployment, "spec", "replicas") ?? 1);

    private static int Status(JsonObject deployment, string field) => (int)(JsonPath.Integer(deployment, "status", field) ?? 0);

    /// <summary>Returns the primary's scale before the run: kept in the annotation while the canary has replicas, else its replicas.</summary>
    private static int TotalReplicas(JsonObject primary)
    {
        var remembered = JsonPath.String(primary, "metadata", "annotations", TotalReplicasAnnotation);
        return remembered is not null && int.TryParse(remembered, NumberStyles.None, CultureInfo.InvariantCulture, out var total) && total >= 1
            ? total
            : Math.Max(1, Replicas(primary));
    }

    private static JsonObject? ReplicasPatch(JsonObject deployment, int replicas) =>
        JsonPath.Integer(deployment, "spec", "replicas") == replicas
            ? null
            : new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };

    private static JsonObject? AnnotationPatch(JsonObject deployment, string? value) =>
        JsonPath.String(deployment, "metadata", "annotations", TotalReplicasAnnotation) == value
            ? null
            : new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [TotalReplicasAnnotation] = value } } };

    /// <summary>Merges patches that touch different fields into one, so that each Deployment gets one write (and one rollout).</summary>
    private static JsonObject? Merge(params JsonObject?[] patches)
    {
        JsonObject? merged = null;
        foreach (var patch in patches.OfType<JsonObject>())
        {
            merged = merged is null ? patch : (JsonObject)Combine(merged, patch);
        }

        return merged;
    }

    private static JsonNode Combine(JsonNode into, JsonNode from)
    {
        if (into is not JsonObject target || from is not JsonObject source)
        {
            return from.DeepClone();
        }

        foreach (var (key, value) in source.ToList())
        {
            target[key] = target[key] is { } existing && value is not null ? Combine(existing, value) : value?.DeepClone();
        }

        return target;
    }

    /// <summary>Whether a Deployment has rolled out, completely, a template that carries the traffic label, with a ready replica.</summary>
    private bool ServesLabel(JsonObject deployment, CanaryNames names)
    {
        var generation = JsonPath.Integer(deployment, "metadata", "generation") ?? 0;
        var observed = JsonPath.Integer(deployment, "status", "observedGeneration") ?? 0;
        var updated = Status(deployment, "updatedReplicas");
        return HasLabel(deployment, names) &&
            observed >= generation &&
            updated >= Replicas(deployment) &&
            Status(deployment, "replicas") <= updated &&
            Status(deployment, "availableReplicas") >= updated &&
            Status(deployment, "readyReplicas") >= 1;
    }

    private bool HasLabel(JsonObject deployment, CanaryNames names) =>
        JsonPath.String(deployment, "spec", "template", "metadata", "labels", _label) == names.Apex;

    private JsonObject? LabelPatch(JsonObject deployment, CanaryNames names, bool wanted)
    {
        var present = JsonPath.Object(deployment, "spec", "template", "metadata", "labels")?.ContainsKey(_label) == true;
        if (wanted == HasLabel(deployment, names) && (wanted || !present))
        {
            return null;
        }

        return new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [_label] = wanted ? names.Apex : null } },
                },
            },
        };
    }

    private async Task<JsonObject> RequireTargetAsync(CanaryNames names, CancellationToken cancellationToken) =>
        await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.Target, cancellationToken)
            ?? throw new TrafficRouterException($"spec.targetRef: Deployment \"{names.Target}\" not found in namespace \"{names.Namespace}\"");

    private async Task<JsonObject> PatchAsync(string name, JsonObject deployment, JsonObject? patch, CancellationToken cancellationToken) =>
        patch is null
            ? deployment
            : await _api.PatchAsync(ResourceType.Deployments, KubernetesObject.GetNamespace(deployment), name, KubernetesPatch.Merge(patch), null, null, cancellationToken);

    /// <summary>
    /// Creates the apex Service on the traffic label, or points an existing one at it once the primary serves the label; with
    /// <paramref name="mustBeInEffect"/>, throws a transient failure while that has to wait.
    /// </summary>
    private async Task EnsureApexAsync(CanaryResource canary, JsonObject? primary, bool mustBeInEffect, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var selector = new Dictionary<string, string>(StringComparer.Ordinal) { [_label] = names.Apex };
        var apex = await ApexService.GetAsync(_api, names, cancellationToken);
        if (apex is null)
        {
            await ApexService.CreateAsync(_api, canary, selector, cancellationToken);
            return;
        }

        if (ApexService.Selects(apex, selector))
        {
            return;
        }

        if (primary is not null && ServesLabel(primary, names))
        {
            await ApexService.SelectAsync(_api, names, apex, selector, cancellationToken);
            return;
        }

        if (mustBeInEffect)
        {
            throw TrafficRouterException.Transient(
                $"Service \"{names.Apex}\" in namespace \"{names.Namespace}\" selects its old pods until Deployment \"{names.PrimaryDeployment}\" " +
                $"has rolled out pods labelled {_label}={names.Apex}");
        }
    }
}
