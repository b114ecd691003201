using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;

namespace Canary.Kubernetes.Workloads;

public sealed partial class KubernetesWorkloadController
{
    private static readonly string[] ConfigFields = ["data", "binaryData"];

    /// <summary>The primary's pod template: the target's, with the selector label suffixed, configuration renamed and the revision annotated.</summary>
    private static JsonObject PrimaryTemplate(TargetWorkload target, string revision)
    {
        var template = (JsonObject)target.Template.DeepClone();
        var metadata = JsonTree.Object(template, "metadata");
        JsonTree.Object(metadata, "labels")[target.SelectorLabel] = target.PrimarySelectorValue;
        JsonTree.Object(metadata, "annotations")[CanaryLabels.Revision] = revision;
        var copied = target.Configs.Where(c => c.Object is not null).Select(c => (c.Resource.Kind, c.Name)).ToHashSet();
        ConfigReferences.Rename(template, (resource, name) => copied.Contains((resource.Kind, name)) ? name + "-primary" : null);
        return template;
    }

    private static JsonObject PrimaryDeployment(TargetWorkload target, string revision, JsonArray? owners)
    {
        var spec = (JsonObject)(target.Deployment["spec"]?.DeepClone() ?? new JsonObject());
        JsonTree.Object(JsonTree.Object(spec, "selector"), "matchLabels")[target.SelectorLabel] = target.PrimarySelectorValue;
        spec["template"] = PrimaryTemplate(target, revision);

        // A target already scaled to zero (a canary created anew over an old rollout) still needs a serving primary.
        spec["replicas"] = Math.Max(1, target.Replicas);
        var labels = JsonTree.StringMap(target.Deployment["metadata"]?["labels"]);
        if (labels.ContainsKey(target.SelectorLabel))
        {
            labels[target.SelectorLabel] = target.PrimarySelectorValue;
        }

        return new JsonObject
        {
            ["apiVersion"] = ResourceType.Deployments.ApiVersion,
            ["kind"] = ResourceType.Deployments.Kind,
            ["metadata"] = Metadata(target, target.PrimaryName, owners, labels),
            ["spec"] = spec,
        };
    }

    private static JsonObject Metadata(TargetWorkload target, string name, JsonArray? owners, IReadOnlyDictionary<string, string>? labels = null)
    {
        var values = new JsonObject();
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        values[CanaryLabels.ManagedBy] = CanaryLabels.ManagedByValue;
        values[CanaryLabels.CanaryName] = target.Canary.Id.Name;
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = target.Namespace, ["labels"] = values };
        if (owners is not null)
        {
            metadata["ownerReferences"] = owners.DeepClone();
        }

        return metadata;
    }

    /// <summary>
    /// Creates a Service that selects <paramref name="selectorValue"/>, or points an existing one at it. The selector and ports of
    /// a Service Canary created are kept as the spec says; of a Service someone else created, only the selector is changed.
    /// </summary>
    private async Task EnsureServiceAsync(TargetWorkload target, string name, string selectorValue, OwnerReference owner, CancellationToken cancellationToken)
    {
        var selector = new JsonObject { [target.SelectorLabel] = selectorValue };
        var ports = ServicePorts(target.Canary);
        var existing = await _cache.GetAsync(ResourceType.Services, target.Namespace, name, cancellationToken);
        if (existing is null)
        {
            var service = new JsonObject
            {
                ["apiVersion"] = ResourceType.Services.ApiVersion,
                ["kind"] = ResourceType.Services.Kind,
                ["metadata"] = Metadata(target, name, await owner.GetAsync(cancellationToken)),
                ["spec"] = new JsonObject { ["type"] = "ClusterIP", ["selector"] = selector.DeepClone(), ["ports"] = ports.DeepClone() },
            };
            existing = await CreateAsync(ResourceType.Services, target, service, cancellationToken);
        }

        var spec = new JsonObject();
        if (JsonTree.MergePatch(existing["spec"]?["selector"], selector) is { } selectorChange)
        {
            spec["selector"] = selectorChange;
        }

        var owned = JsonTree.StringMap(existing["metadata"]?["labels"]).GetValueOrDefault(CanaryLabels.ManagedBy) == CanaryLabels.ManagedByValue;
        if (owned && !SamePorts(existing["spec"]?["ports"] as JsonArray, ports))
        {
            spec["ports"] = ports.DeepClone();
        }

        if (spec.Count > 0)
        {
            await PatchAsync(ResourceType.Services, target, name, new JsonObject { ["spec"] = spec }, $"selects {target.SelectorLabel}={selectorValue}", cancellationToken);
        }
    }

    private static JsonArray ServicePorts(CanaryResource canary)
    {
        var service = canary.Spec.Service;
        if (service.Port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"spec.service.port of canary {canary.Id}: must be between 1 and 65535 (got {service.Port}).");
        }

        JsonNode targetPort = string.IsNullOrEmpty(service.TargetPort)
            ? service.Port
            : int.TryParse(service.TargetPort, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : service.TargetPort;
        return [new JsonObject { ["name"] = service.PortName, ["port"] = service.Port, ["targetPort"] = targetPort, ["protocol"] = "TCP" }];
    }

    private static bool SamePorts(JsonArray? current, JsonArray desired)
    {
        static string Key(JsonNode? port) =>
            $"{JsonTree.String(port, "name")}|{JsonTree.Integer(port, "port")}|{port?["targetPort"]?.ToJsonString().Trim('"')}";

        return current is not null && current.Select(Key).SequenceEqual(desired.Select(Key));
    }

    /// <summary>Copies every referenced ConfigMap and Secret that exists as <c>name-primary</c>, updating copies whose data differ.</summary>
    private async Task SyncConfigCopiesAsync(TargetWorkload target, OwnerReference owner, CancellationToken cancellationToken)
    {
        foreach (var config in target.Configs)
        {
            if (config.Object is null)
            {
                continue;
            }

            var existing = await _cache.GetAsync(config.Resource, target.Namespace, config.PrimaryName, cancellationToken);
            if (existing is null)
            {
                var copy = ConfigData(config.Object);
                copy["apiVersion"] = config.Resource.ApiVersion;
                copy["kind"] = config.Resource.Kind;
                copy["metadata"] = Metadata(target, config.PrimaryName, await owner.GetAsync(cancellationToken));
                if (config.Object["type"] is JsonValue type)
                {
                    copy["type"] = type.DeepClone();
                }

                existing = await CreateAsync(config.Resource, target, copy, cancellationToken);
            }

            var patch = new JsonObject();
            foreach (var field in ConfigFields)
            {
                var desired = config.Object[field];
                if (desired is null && existing[field] is not null)
                {
                    patch[field] = null;
                }
                else if (desired is not null && JsonTree.MergePatch(existing[field], desired) is { } change)
                {
                    patch[field] = change;
                }
            }

            if (patch.Count > 0)
            {
                await PatchAsync(config.Resource, target, config.PrimaryName, patch, $"data copied from {config.Name}", cancellationToken);
            }
        }
    }

    /// <summary>Creates or updates <c>hpa-primary</c>: the target's autoscaler, scaling the primary, with the spec's replica bounds.</summary>
    private async Task SyncAutoscalerAsync(TargetWorkload target, OwnerReference owner, CancellationToken cancellationToken)
    {
        var reference = target.Canary.Spec.AutoscalerRef;
        if (reference is null)
        {
            return;
        }

        var resource = ResourceType.HorizontalPodAutoscalers;
        if (reference.Kind != resource.Kind || reference.ApiVersion is not ("autoscaling/v2" or ""))
        {
            throw new NotSupportedException(
                $"spec.autoscalerRef of canary {target.Canary.Id}: {reference.ApiVersion} {reference.Kind} is not supported; use an autoscaling/v2 HorizontalPodAutoscaler.");
        }

        var autoscaler = await _cache.GetAsync(resource, target.Namespace, reference.Name, cancellationToken)
            ?? throw new InvalidOperationException(
                $"spec.autoscalerRef of canary {target.Canary.Id}: HorizontalPodAutoscaler {target.Namespace}/{reference.Name} not found.");
        var spec = (JsonObject)(autoscaler["spec"]?.DeepClone() ?? new JsonObject());
        var scaleTarget = JsonTree.Object(spec, "scaleTargetRef");
        scaleTarget["apiVersion"] = ResourceType.Deployments.ApiVersion;
        scaleTarget["kind"] = ResourceType.Deployments.Kind;
        scaleTarget["name"] = target.PrimaryName;
        if (reference.PrimaryMinReplicas is { } min)
        {
            spec["minReplicas"] = min;
        }

        if (reference.PrimaryMaxReplicas is { } max)
        {
            spec["maxReplicas"] = max;
        }

        var name = reference.Name + "-primary";
        var existing = await _cache.GetAsync(resource, target.Namespace, name, cancellationToken);
        if (existing is null)
        {
            var copy = new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.Kind,
                ["metadata"] = Metadata(target, name, await owner.GetAsync(cancellationToken)),
                ["spec"] = spec,
            };
            await CreateAsync(resource, target, copy, cancellationToken);
        }
        else if (JsonTree.MergePatch(existing["spec"], spec) is { } change)
        {
            await PatchAsync(resource, target, name, new JsonObject { ["spec"] = change }, $"spec copied from {reference.Name}", cancellationToken);
        }
    }

    private Task ScaleAsync(TargetWorkload target, int replicas, CancellationToken cancellationToken)
    {
        WorkloadLog.Scaled(_logger, target.Namespace, target.Name, replicas, target.Canary.Id);
        return PatchAsync(ResourceType.Deployments, target, target.Name, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } },
            $"replicas {replicas}", cancellationToken);
    }

    /// <summary>Creates an object; when it exists after all (the cache had not seen it yet), returns it as the server has it.</summary>
    private async Task<JsonObject> CreateAsync(ResourceType resource, TargetWorkload target, JsonObject body, CancellationToken cancellationToken)
    {
        var name = KubernetesObject.GetName(body)!;
        JsonObject? created = null;
        try
        {
            created = await _api.CreateAsync(resource, target.Namespace, body, cancellationToken);
            WorkloadLog.Created(_logger, resource.Kind, target.Namespace, name, target.Canary.Id);
            return created;
        }
        catch (KubernetesException ex) when (ex.IsAlreadyExists)
        {
            _cache.Invalidate(resource, target.Namespace, name);
            return await _cache.GetAsync(resource, target.Namespace, name, cancellationToken)
                ?? throw new InvalidOperationException($"{resource.Kind} {target.Namespace}/{name} was reported as existing but cannot be read.", ex);
        }
        finally
        {
            Written(resource, target, name, created);
        }
    }

    private async Task PatchAsync(ResourceType resource, TargetWorkload target, string name, JsonObject patch, string what, CancellationToken cancellationToken)
    {
        JsonObject? patched = null;
        try
        {
            patched = await _api.PatchAsync(resource, target.Namespace, name, KubernetesPatch.Merge(patch), new PatchOptions { FieldManager = _options.FieldManager },
                cancellationToken: cancellationToken);
            WorkloadLog.Updated(_logger, resource.Kind, target.Namespace, name, target.Canary.Id, what);
        }
        finally
        {
            Written(resource, target, name, patched);
        }
    }

    /// <summary>
    /// Keeps the cache from answering with the copy before a write. A Deployment's next read goes to the server, because the
    /// deployment controller changes its status right after each write and readiness must see that; any other object is read
    /// from the informer again once it holds the version written.
    /// </summary>
    private void Written(ResourceType resource, TargetWorkload target, string name, JsonObject? written)
    {
        var version = resource == ResourceType.Deployments || written is null ? null : KubernetesObject.GetResourceVersion(written);
        _cache.Invalidate(resource, target.Namespace, name, version);
    }

    /// <summary>The owner reference to the canary's custom resource, read once per call and only when an object is created.</summary>
    private sealed class OwnerReference(KubernetesWorkloadController controller, CanaryResource canary)
    {
        private JsonArray? _owners;
        private bool _read;

        public async Task<JsonArray?> GetAsync(CancellationToken cancellationToken)
        {
            if (_read)
            {
                return _owners;
            }

            var resource = controller._options.CanaryResource;
            JsonObject? owner;
            try
            {
                owner = await controller._api.TryGetAsync(resource, canary.Id.Namespace, canary.Id.Name, cancellationToken);
            }
            catch (KubernetesException ex) when (ex.IsNotFound || ex.IsForbidden)
            {
                // The custom resource type is not installed, or not readable: a host that keeps canaries in code owns nothing here.
                owner = null;
            }

            _read = true;
            if (owner is not null && KubernetesObject.GetUid(owner) is { Length: > 0 } uid)
            {
                _owners =
                [
                    new JsonObject
                    {
                        ["apiVersion"] = resource.ApiVersion,
                        ["kind"] = resource.Kind,
                        ["name"] = canary.Id.Name,
                        ["uid"] = uid,
                        ["controller"] = true,
                        ["blockOwnerDeletion"] = true,
                    },
                ];
            }

            return _owners;
        }
    }
}
