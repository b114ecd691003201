namespace Canary.Model;

/// <summary>The names of the traffic providers a spec's <c>provider</c> field accepts.</summary>
public static class TrafficProviders
{
    /// <summary>Plain Kubernetes: a shared Service selects primary and canary pods, so the replica ratio sets the share.</summary>
    public const string LabelRatio = "label-ratio";

    /// <summary>Plain Kubernetes as Flagger runs it: no traffic split; the canary is tested through its own Service, then promoted.</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>ingress-nginx canary Ingresses.</summary>
    public const string Nginx = "nginx";

    /// <summary>A Traefik weighted <c>TraefikService</c>.</summary>
    public const string Traefik = "traefik";

    /// <summary>Linkerd through an SMI <c>TrafficSplit</c>, or an HTTPRoute where the cluster has no SMI API.</summary>
    public const string Linkerd = "linkerd";

    /// <summary>An SMI <c>TrafficSplit</c>.</summary>
    public const string Smi = "smi";

    /// <summary>A Gateway API <c>HTTPRoute</c>.</summary>
    public const string GatewayApi = "gatewayapi";

    /// <summary>Gets every provider name that a spec may use.</summary>
    public static IReadOnlyList<string> All { get; } = [LabelRatio, Kubernetes, Nginx, Traefik, Linkerd, Smi, GatewayApi];

    /// <summary>Returns the provider's name without a version suffix (<c>smi:v1alpha2</c> gives <c>smi</c>).</summary>
    /// <param name="provider">A provider as written in a spec.</param>
    /// <returns>The provider's base name.</returns>
    public static string BaseName(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var colon = provider.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? provider : provider[..colon];
    }

    /// <summary>Gets a value indicating whether <paramref name="provider"/> names a known provider, with or without a version suffix.</summary>
    /// <param name="provider">A provider as written in a spec.</param>
    /// <returns><see langword="true"/> for a known provider.</returns>
    public static bool IsKnown(string provider) => All.Contains(BaseName(provider), StringComparer.Ordinal);
}
