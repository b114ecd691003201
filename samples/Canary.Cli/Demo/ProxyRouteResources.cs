using Canary.Kubernetes.Client;
using Canary.Model;

namespace Canary.Cli.Demo;

/// <summary>The routing objects each provider's router writes, and so the resource types the proxy watches for it.</summary>
public static class ProxyRouteResources
{
    /// <summary>Gets <c>traefik.io/v1alpha1</c> TraefikServices.</summary>
    public static ResourceType TraefikServices { get; } = new("traefik.io", "v1alpha1", "traefikservices", true, "TraefikService");

    /// <summary>Returns SMI TrafficSplits of a version (<c>v1alpha1</c> to <c>v1alpha4</c>).</summary>
    /// <param name="version">The version.</param>
    /// <returns>The resource type.</returns>
    public static ResourceType TrafficSplits(string version) => new("split.smi-spec.io", version, "trafficsplits", true, "TrafficSplit");

    /// <summary>Returns SMI HTTPRouteGroups of a version (<c>v1alpha3</c> or <c>v1alpha4</c>, matching the TrafficSplit's).</summary>
    /// <param name="version">The version.</param>
    /// <returns>The resource type.</returns>
    public static ResourceType HttpRouteGroups(string version) => new("specs.smi-spec.io", version, "httproutegroups", true, "HTTPRouteGroup");

    /// <summary>Returns Gateway API HTTPRoutes of a version (<c>v1</c> or <c>v1beta1</c>).</summary>
    /// <param name="version">The version.</param>
    /// <returns>The resource type.</returns>
    public static ResourceType HttpRoutes(string version) => new("gateway.networking.k8s.io", version, "httproutes", true, "HTTPRoute");

    /// <summary>
    /// Returns the routing object's type for a provider: nginx Ingresses; traefik <c>traefik.io/v1alpha1</c> TraefikServices;
    /// smi and linkerd TrafficSplits (<c>v1alpha1</c> unless the provider names a version, as Flagger's linkerd does); gatewayapi
    /// <c>v1</c> HTTPRoutes (or the version named); none for label-ratio and kubernetes.
    /// </summary>
    /// <param name="provider">The provider, with or without a version suffix.</param>
    /// <returns>The resource type, or <see langword="null"/> when the provider has no routing object.</returns>
    public static ResourceType? For(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var colon = provider.IndexOf(':', StringComparison.Ordinal);
        var version = colon < 0 ? null : provider[(colon + 1)..];
        return TrafficProviders.BaseName(provider) switch
        {
            TrafficProviders.Nginx => ResourceType.Ingresses,
            TrafficProviders.Traefik => TraefikServices,
            TrafficProviders.Smi or TrafficProviders.Linkerd => TrafficSplits(version ?? "v1alpha1"),
            TrafficProviders.GatewayApi => HttpRoutes(version ?? "v1"),
            _ => null,
        };
    }
}
