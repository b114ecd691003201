using System.Text;

namespace Canary.Kubernetes.Client;

/// <summary>
/// Addresses one kind of Kubernetes resource by group, version and plural (a GroupVersionResource), so that the client can reach
/// built-in types and custom resources alike.
/// </summary>
public sealed record ResourceType
{
    /// <summary>Initializes a new instance of the <see cref="ResourceType"/> class.</summary>
    /// <param name="group">The API group; empty for the core group (<c>/api/v1</c>).</param>
    /// <param name="version">The API version, for example <c>v1</c>.</param>
    /// <param name="plural">The lower-case plural used in URLs, for example <c>deployments</c>.</param>
    /// <param name="namespaced">Whether objects live in a namespace.</param>
    /// <param name="kind">The object kind, for example <c>Deployment</c>.</param>
    /// <exception cref="ArgumentException">A value is empty or holds a <c>/</c>.</exception>
    public ResourceType(string group, string version, string plural, bool namespaced, string kind)
    {
        ArgumentNullException.ThrowIfNull(group);
        Group = CheckSegment(group, nameof(group), allowEmpty: true);
        Version = CheckSegment(version, nameof(version), allowEmpty: false);
        Plural = CheckSegment(plural, nameof(plural), allowEmpty: false);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        Kind = kind;
        Namespaced = namespaced;
    }

    /// <summary>Gets the core <c>v1</c> Pods.</summary>
    public static ResourceType Pods { get; } = new(string.Empty, "v1", "pods", true, "Pod");

    /// <summary>Gets the core <c>v1</c> Services.</summary>
    public static ResourceType Services { get; } = new(string.Empty, "v1", "services", true, "Service");

    /// <summary>Gets the core <c>v1</c> ConfigMaps.</summary>
    public static ResourceType ConfigMaps { get; } = new(string.Empty, "v1", "configmaps", true, "ConfigMap");

    /// <summary>Gets the core <c>v1</c> Secrets.</summary>
    public static ResourceType Secrets { get; } = new(string.Empty, "v1", "secrets", true, "Secret");

    /// <summary>Gets the core <c>v1</c> Events.</summary>
    public static ResourceType Events { get; } = new(string.Empty, "v1", "events", true, "Event");

    /// <summary>Gets the core <c>v1</c> Namespaces (cluster-scoped).</summary>
    public static ResourceType Namespaces { get; } = new(string.Empty, "v1", "namespaces", false, "Namespace");

    /// <summary>Gets the <c>apps/v1</c> Deployments.</summary>
    public static ResourceType Deployments { get; } = new("apps", "v1", "deployments", true, "Deployment");

    /// <summary>Gets the <c>apps/v1</c> ReplicaSets.</summary>
    public static ResourceType ReplicaSets { get; } = new("apps", "v1", "replicasets", true, "ReplicaSet");

    /// <summary>Gets the <c>autoscaling/v2</c> HorizontalPodAutoscalers.</summary>
    public static ResourceType HorizontalPodAutoscalers { get; } = new("autoscaling", "v2", "horizontalpodautoscalers", true, "HorizontalPodAutoscaler");

    /// <summary>Gets the <c>networking.k8s.io/v1</c> Ingresses.</summary>
    public static ResourceType Ingresses { get; } = new("networking.k8s.io", "v1", "ingresses", true, "Ingress");

    /// <summary>Gets the <c>discovery.k8s.io/v1</c> EndpointSlices.</summary>
    public static ResourceType EndpointSlices { get; } = new("discovery.k8s.io", "v1", "endpointslices", true, "EndpointSlice");

    /// <summary>Gets the <c>coordination.k8s.io/v1</c> Leases.</summary>
    public static ResourceType Leases { get; } = new("coordination.k8s.io", "v1", "leases", true, "Lease");

    /// <summary>Gets the API group; empty for the core group.</summary>
    public string Group { get; }

    /// <summary>Gets the API version within the group.</summary>
    public string Version { get; }

    /// <summary>Gets the lower-case plural used in URLs.</summary>
    public string Plural { get; }

    /// <summary>Gets a value indicating whether objects live in a namespace.</summary>
    public bool Namespaced { get; }

    /// <summary>Gets the object kind.</summary>
    public string Kind { get; }

    /// <summary>Gets the <c>apiVersion</c> field value: <c>v1</c> for the core group, <c>group/version</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Gets the group-qualified resource name the API server uses in messages, for example <c>deployments.apps</c>.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Returns <c>apiVersion/plural</c>, for example <c>apps/v1/deployments</c>.</summary>
    /// <returns>The resource's short description.</returns>
    public override string ToString() => $"{ApiVersion}/{Plural}";

    internal string CollectionPath(string? namespaceName)
    {
        var path = new StringBuilder(Group.Length == 0 ? "/api/" : $"/apis/{Group}/");
        path.Append(Version);
        if (namespaceName is not null)
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(namespaceName));
        }

        return path.Append('/').Append(Plural).ToString();
    }

    internal string ItemPath(string? namespaceName, string name, string? subresource)
    {
        var path = $"{CollectionPath(namespaceName)}/{Uri.EscapeDataString(name)}";
        return subresource is null ? path : $"{path}/{Uri.EscapeDataString(subresource)}";
    }

    private static string CheckSegment(string value, string parameter, bool allowEmpty)
    {
        if (!allowEmpty)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        }

        if (value.Contains('/', StringComparison.Ordinal) || value.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"\"{value}\" must not contain '/' or spaces.", parameter);
        }

        return value;
    }
}
