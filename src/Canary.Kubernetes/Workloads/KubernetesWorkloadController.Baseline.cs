using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;

namespace Canary.Kubernetes.Workloads;

public sealed partial class KubernetesWorkloadController
{
    /// <summary>
    /// Creates <c>name-baseline</c> from the primary (its pod template and spec, the selector label suffixed <c>-baseline</c>) at the
    /// canary's replicas, or brings an existing one to that template and scale; writes nothing when it is there already.
    /// </summary>
    /// <param name="canary">The canary.</param>
    /// <param name="trafficLabel">
    /// A pod label that the baseline carries exactly when the canary's template does (the label-ratio router's traffic label), or
    /// <see langword="null"/>: a baseline created at a weight where the canary is kept out of the apex Service stays out too.
    /// </param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    internal async ValueTask EnsureBaselineAsync(CanaryResource canary, string? trafficLabel, CancellationToken cancellationToken)
    {
        var target = await ReadTargetAsync(canary, cancellationToken);
        var primary = await _cache.GetAsync(ResourceType.Deployments, target.Namespace, target.PrimaryName, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Deployment {target.Namespace}/{target.PrimaryName} does not exist: canary {canary.Id} must be initialized before its baseline is started.");
        var template = BaselineTemplate(target, primary, trafficLabel);
        var replicas = target.Replicas;
        var existing = await _cache.GetAsync(ResourceType.Deployments, target.Namespace, target.BaselineName, cancellationToken);
        if (existing is null)
        {
            var owners = await new OwnerReference(this, canary).GetAsync(cancellationToken);
            await CreateAsync(ResourceType.Deployments, target, BaselineDeployment(target, primary, template, replicas, owners), cancellationToken);
            return;
        }

        if (!IsManaged(existing))
        {
            throw new InvalidOperationException(
                $"analysis.baseline of canary {canary.Id}: Deployment {target.Namespace}/{target.BaselineName} exists and was not created by Canary " +
                $"(no label {CanaryLabels.ManagedBy}={CanaryLabels.ManagedByValue}); rename or delete it.");
        }

        var spec = new JsonObject();
        if (JsonTree.MergePatch(existing["spec"]?["template"], template) is { } change)
        {
            spec["template"] = change;
        }

        if (JsonTree.Integer(existing["spec"], "replicas") != replicas)
        {
            spec["replicas"] = replicas;
        }

        if (spec.Count > 0)
        {
            await PatchAsync(ResourceType.Deployments, target, target.BaselineName, new JsonObject { ["spec"] = spec },
                $"primary's pod template at {replicas} replicas", cancellationToken);
        }
    }

    /// <summary>Deletes <c>name-baseline</c>; one that does not exist, or that Canary did not create, is left as it is.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    internal async ValueTask RemoveBaselineAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var ns = canary.Id.Namespace;
        var name = canary.Spec.TargetRef.Name + "-baseline";
        var existing = await _cache.GetAsync(ResourceType.Deployments, ns, name, cancellationToken);
        if (existing is null || !IsManaged(existing))
        {
            return;
        }

        try
        {
            await _api.DeleteAsync(ResourceType.Deployments, ns, name, new DeleteOptions { PropagationPolicy = PropagationPolicy.Background }, cancellationToken);
            WorkloadLog.Deleted(_logger, ResourceType.Deployments.Kind, ns, name, canary.Id);
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            // Deleted by someone else, or by an earlier attempt whose answer was lost: the state wanted is reached.
        }
        finally
        {
            _cache.Invalidate(ResourceType.Deployments, ns, name);
        }
    }

    private static bool IsManaged(JsonObject obj) =>
        JsonTree.String(obj["metadata"]?["labels"], CanaryLabels.ManagedBy) == CanaryLabels.ManagedByValue;

    /// <summary>The primary's pod template (the stable version, its configuration copies included) with the selector label suffixed <c>-baseline</c>.</summary>
    private static JsonObject BaselineTemplate(TargetWorkload target, JsonObject primary, string? trafficLabel)
    {
        var template = (JsonObject)(primary["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        var labels = JsonTree.Object(JsonTree.Object(template, "metadata"), "labels");
        labels[target.SelectorLabel] = target.BaselineSelectorValue;
        if (trafficLabel is not null)
        {
            if (JsonTree.String(target.Template["metadata"]?["labels"], trafficLabel) is { } value)
            {
                labels[trafficLabel] = value;
            }
            else
            {
                labels.Remove(trafficLabel);
            }
        }

        return template;
    }

    private static JsonObject BaselineDeployment(TargetWorkload target, JsonObject primary, JsonObject template, int replicas, JsonArray? owners)
    {
        var spec = (JsonObject)(primary["spec"]?.DeepClone() ?? new JsonObject());
        JsonTree.Object(JsonTree.Object(spec, "selector"), "matchLabels")[target.SelectorLabel] = target.BaselineSelectorValue;
        spec["template"] = template;
        spec["replicas"] = replicas;
        var labels = JsonTree.StringMap(primary["metadata"]?["labels"]);
        if (labels.ContainsKey(target.SelectorLabel))
        {
            labels[target.SelectorLabel] = target.BaselineSelectorValue;
        }

        return new JsonObject
        {
            ["apiVersion"] = ResourceType.Deployments.ApiVersion,
            ["kind"] = ResourceType.Deployments.Kind,
            ["metadata"] = Metadata(target, target.BaselineName, owners, labels),
            ["spec"] = spec,
        };
    }
}
