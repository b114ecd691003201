using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>The resource types the fake server knows, and the discovery documents built from them.</summary>
internal sealed class ResourceCatalog
{
    private readonly Lock _gate = new();
    private List<ApiResource> _resources = [];

    public ResourceCatalog()
    {
        foreach (var resource in BuiltIns())
        {
            Register(resource);
        }
    }

    public IReadOnlyList<ApiResource> All
    {
        get
        {
            lock (_gate)
            {
                return _resources;
            }
        }
    }

    /// <summary>Adds or replaces a type (same group, version and plural).</summary>
    public void Register(ApiResource resource)
    {
        lock (_gate)
        {
            var next = _resources.Where(r => !(r.Group == resource.Group && r.Version == resource.Version && r.Plural == resource.Plural)).ToList();
            next.Add(resource);
            _resources = next;
        }
    }

    public void Unregister(string group, string version, string plural)
    {
        lock (_gate)
        {
            _resources = _resources.Where(r => !(r.Group == group && r.Version == version && r.Plural == plural)).ToList();
        }
    }

    public ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>Finds a type by apiVersion ("apps/v1", "v1") and Kind.</summary>
    public ApiResource? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Kind == kind);
    }

    public bool HasGroupVersion(string group, string version) => All.Any(r => r.Group == group && r.Version == version);

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var group in All.Where(r => r.Group.Length > 0).Select(r => r.Group).Distinct().Order(StringComparer.Ordinal))
        {
            groups.Add(Group(group));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public JsonObject? GroupDocument(string group)
    {
        if (!All.Any(r => r.Group == group))
        {
            return null;
        }

        var document = Group(group);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    public JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var resource in All.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            var verbs = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
            var entry = new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = verbs,
            };
            if (resource.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(resource.ShortNames.Select(s => (JsonNode?)s).ToArray());
            }

            resources.Add(entry);
            if (resource.HasStatus)
            {
                resources.Add(Subresource(resource, "status", resource.Kind, null, null));
            }

            if (resource.HasScale)
            {
                resources.Add(Subresource(resource, "scale", "Scale", "autoscaling", "v1"));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ApiResource resource, string name, string kind, string? group, string? version)
    {
        var entry = new JsonObject
        {
            ["name"] = resource.Plural + "/" + name,
            ["singularName"] = string.Empty,
            ["namespaced"] = resource.Namespaced,
        };
        if (group is not null)
        {
            entry["group"] = group;
            entry["version"] = version;
        }

        entry["kind"] = kind;
        entry["verbs"] = new JsonArray("get", "patch", "update");
        return entry;
    }

    private JsonObject Group(string group)
    {
        var versions = All.Where(r => r.Group == group).Select(r => r.Version).Distinct().Order(StringComparer.Ordinal).ToList();
        var array = new JsonArray();
        foreach (var version in versions)
        {
            array.Add(new JsonObject { ["groupVersion"] = group + "/" + version, ["version"] = version });
        }

        var preferred = versions[^1];
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = array,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = group + "/" + preferred, ["version"] = preferred },
        };
    }

    private static IEnumerable<ApiResource> BuiltIns()
    {
        yield return new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "namespaces", Kind = "Namespace", Namespaced = false,
            HasStatus = true, ReturnDeletedObject = true, NameIsDnsLabel = true, ShortNames = ["ns"], SelectableFields = ["status.phase"],
        };
        yield return new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "pods", Kind = "Pod", Namespaced = true,
            HasStatus = true, ReturnDeletedObject = true, ShortNames = ["po"], SelectableFields = ["spec.nodeName", "status.phase", "spec.serviceAccountName"],
        };
        yield return new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "services", Kind = "Service", Namespaced = true,
            HasStatus = true, ReturnDeletedObject = true, NameIsDnsLabel = true, ShortNames = ["svc"],
        };
        yield return new ApiResource { Group = string.Empty, Version = "v1", Plural = "configmaps", Kind = "ConfigMap", Namespaced = true, ShortNames = ["cm"] };
        yield return new ApiResource { Group = string.Empty, Version = "v1", Plural = "secrets", Kind = "Secret", Namespaced = true, SelectableFields = ["type"] };
        yield return new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "events", Kind = "Event", Namespaced = true, AllowCreateOnUpdate = true, ShortNames = ["ev"],
            SelectableFields = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        };
        yield return new ApiResource { Group = string.Empty, Version = "v1", Plural = "endpoints", Kind = "Endpoints", Namespaced = true, ShortNames = ["ep"] };
        yield return new ApiResource
        {
            Group = "apps", Version = "v1", Plural = "deployments", Kind = "Deployment", Namespaced = true,
            HasStatus = true, HasScale = true, TracksGeneration = true, AnnotationsBumpGeneration = true, ShortNames = ["deploy"],
        };
        yield return new ApiResource
        {
            Group = "autoscaling", Version = "v2", Plural = "horizontalpodautoscalers", Kind = "HorizontalPodAutoscaler", Namespaced = true,
            HasStatus = true, TracksGeneration = true, ShortNames = ["hpa"],
        };
        yield return new ApiResource
        {
            Group = "networking.k8s.io", Version = "v1", Plural = "ingresses", Kind = "Ingress", Namespaced = true,
            HasStatus = true, TracksGeneration = true, ShortNames = ["ing"],
        };
        yield return new ApiResource
        {
            Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Kind = "Lease", Namespaced = true,
            RequiresResourceVersionOnUpdate = true, AllowCreateOnUpdate = true,
        };
        yield return new ApiResource
        {
            Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Kind = "CustomResourceDefinition", Namespaced = false,
            HasStatus = true, TracksGeneration = true, ShortNames = ["crd", "crds"],
        };
    }
}
