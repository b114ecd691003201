using Canary.Kubernetes.Client;

namespace Canary.Kubernetes.State;

/// <summary>The custom resource types of Canary: <c>Canary</c> and <c>MetricTemplate</c>, in Canary's own group or Flagger's.</summary>
public static class CanaryResourceTypes
{
    /// <summary>Canary's own API group.</summary>
    public const string DefaultGroup = "canary.dev";

    /// <summary>The version of Canary's own API group.</summary>
    public const string DefaultVersion = "v1";

    /// <summary>Flagger's API group, whose <c>Canary</c> objects Canary can drive instead.</summary>
    public const string FlaggerGroup = "flagger.app";

    /// <summary>The version of Flagger's API group.</summary>
    public const string FlaggerVersion = "v1beta1";

    /// <summary>Returns the namespaced <c>canaries</c> resource of a group and version.</summary>
    /// <param name="group">The API group, <c>canary.dev</c> by default.</param>
    /// <param name="version">The version, <c>v1</c> by default.</param>
    /// <returns>The resource type.</returns>
    public static ResourceType Canary(string group = DefaultGroup, string version = DefaultVersion) =>
        new(group, version, "canaries", namespaced: true, "Canary");

    /// <summary>Returns the namespaced <c>metrictemplates</c> resource of a group and version.</summary>
    /// <param name="group">The API group, <c>canary.dev</c> by default.</param>
    /// <param name="version">The version, <c>v1</c> by default.</param>
    /// <returns>The resource type.</returns>
    public static ResourceType MetricTemplate(string group = DefaultGroup, string version = DefaultVersion) =>
        new(group, version, "metrictemplates", namespaced: true, "MetricTemplate");
}
