using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;

namespace Canary.Kubernetes.Routing;

/// <summary>
/// Creates the objects a router owns and keeps their owned fields as wanted with merge patches that touch nothing else, writing only
/// when something differs, so that a repeated call writes nothing and users' own labels and annotations survive.
/// </summary>
internal static class ManagedObjects
{
    /// <summary>The label every object a router creates carries.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedByValue = "canary";

    public static bool IsManaged(JsonObject obj) => JsonPath.String(obj, "metadata", "labels", ManagedByLabel) == ManagedByValue;

    /// <summary>Builds an object with the managed-by label and, for a create, the owner reference.</summary>
    public static JsonObject New(ResourceType type, string namespaceName, string name, JsonObject? ownerReference, JsonObject spec, JsonObject? annotations = null)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = namespaceName,
            ["labels"] = new JsonObject { [ManagedByLabel] = ManagedByValue },
        };
        if (annotations is { Count: > 0 })
        {
            metadata["annotations"] = annotations;
        }

        if (ownerReference is not null)
        {
            metadata["ownerReferences"] = new JsonArray(ownerReference.DeepClone());
        }

        return new JsonObject
        {
            ["apiVersion"] = type.ApiVersion,
            ["kind"] = type.Kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// Returns the owner reference to the target Deployment, so that the routing objects go when the workload goes.
    /// A canary has no object of its own in the cluster when a host drives it, so the target is the closest owner.
    /// </summary>
    public static async Task<JsonObject> OwnerReferenceAsync(IKubernetesApi api, CanaryNames names, CancellationToken cancellationToken)
    {
        var target = await api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.Target, cancellationToken)
            ?? throw new TrafficRouterException($"spec.targetRef: Deployment \"{names.Target}\" not found in namespace \"{names.Namespace}\"");
        return new JsonObject
        {
            ["apiVersion"] = ResourceType.Deployments.ApiVersion,
            ["kind"] = ResourceType.Deployments.Kind,
            ["name"] = names.Target,
            ["uid"] = KubernetesObject.GetUid(target),
        };
    }

    /// <summary>
    /// Creates <paramref name="desired"/> when <paramref name="current"/> is <see langword="null"/>, or patches the owned fields
    /// that differ; writes nothing when none does.
    /// </summary>
    /// <returns>The object as stored.</returns>
    public static async Task<JsonObject> CreateOrPatchAsync(
        IKubernetesApi api,
        ResourceType type,
        JsonObject? current,
        JsonObject desired,
        OwnedFields owned,
        CancellationToken cancellationToken)
    {
        var name = KubernetesObject.GetName(desired)!;
        var namespaceName = KubernetesObject.GetNamespace(desired);
        if (current is null)
        {
            try
            {
                return await api.CreateAsync(type, namespaceName, (JsonObject)desired.DeepClone(), cancellationToken);
            }
            catch (KubernetesException ex) when (ex.IsAlreadyExists)
            {
                // Another writer created it between our read and our create: patch theirs instead.
                current = await api.GetAsync(type, namespaceName, name, null, cancellationToken);
            }
        }

        var patch = MergePatch(current, desired, owned);
        return patch is null
            ? current
            : await api.PatchAsync(type, namespaceName, name, KubernetesPatch.Merge(patch), null, null, cancellationToken);
    }

    /// <summary>Computes the merge patch that brings the owned fields of <paramref name="current"/> to <paramref name="desired"/>, or <see langword="null"/>.</summary>
    public static JsonObject? MergePatch(JsonObject current, JsonObject desired, OwnedFields owned)
    {
        var metadata = new JsonObject();
        if (JsonPath.String(current, "metadata", "labels", ManagedByLabel) != ManagedByValue)
        {
            metadata["labels"] = new JsonObject { [ManagedByLabel] = ManagedByValue };
        }

        var annotations = AnnotationPatch(
            JsonPath.StringMap(current, "metadata", "annotations"),
            JsonPath.StringMap(desired, "metadata", "annotations"),
            owned.IsOwnedAnnotation);
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        var spec = new JsonObject();
        foreach (var key in owned.SpecKeys)
        {
            var have = JsonPath.At(current, "spec", key);
            var want = JsonPath.At(desired, "spec", key);
            if (!JsonNode.DeepEquals(have, want))
            {
                spec[key] = Diff(have, want);
            }
        }

        var patch = new JsonObject();
        if (metadata.Count > 0)
        {
            patch["metadata"] = metadata;
        }

        if (spec.Count > 0)
        {
            patch["spec"] = spec;
        }

        return patch.Count > 0 ? patch : null;
    }

    /// <summary>
    /// Returns the merge patch that turns <paramref name="have"/> into <paramref name="want"/>: objects are diffed key by key, with
    /// keys no longer wanted set to null (a merge patch of a map would otherwise keep them); anything else is replaced.
    /// </summary>
    public static JsonNode? Diff(JsonNode? have, JsonNode? want)
    {
        if (have is not JsonObject current || want is not JsonObject desired)
        {
            return want?.DeepClone();
        }

        var patch = new JsonObject();
        foreach (var (key, value) in desired)
        {
            current.TryGetPropertyValue(key, out var old);
            if (!JsonNode.DeepEquals(old, value))
            {
                patch[key] = Diff(old, value);
            }
        }

        foreach (var (key, _) in current)
        {
            if (!desired.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }

    /// <summary>Computes the annotations patch for the owned keys: set those that differ, remove (null) those no longer wanted.</summary>
    public static JsonObject? AnnotationPatch(
        IReadOnlyDictionary<string, string> current,
        IReadOnlyDictionary<string, string> desired,
        Func<string, bool> isOwned)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in desired.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!current.TryGetValue(key, out var have) || have != value)
            {
                patch[key] = value;
            }
        }

        foreach (var key in current.Keys.Where(k => isOwned(k) && !desired.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            patch[key] = null;
        }

        return patch.Count > 0 ? patch : null;
    }

    /// <summary>Deletes an object the router created once it is no longer wanted; an object someone else made is left alone.</summary>
    public static async Task DeleteIfManagedAsync(IKubernetesApi api, ResourceType type, string namespaceName, string name, CancellationToken cancellationToken)
    {
        var current = await api.TryGetAsync(type, namespaceName, name, cancellationToken);
        if (current is null || !IsManaged(current))
        {
            return;
        }

        try
        {
            await api.DeleteAsync(type, namespaceName, name, null, cancellationToken);
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            // Already gone: the wanted state.
        }
    }
}
