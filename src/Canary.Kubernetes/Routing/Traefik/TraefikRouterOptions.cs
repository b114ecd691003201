namespace Canary.Kubernetes.Routing.Traefik;

/// <summary>Settings of the <see cref="TraefikRouter"/>.</summary>
public sealed class TraefikRouterOptions
{
    /// <summary>The API group of Traefik 2.10 and later (the only one Traefik 3 serves).</summary>
    public const string TraefikIoGroup = "traefik.io";

    /// <summary>The API group of Traefik 2.x before 2.10, removed in Traefik 3.</summary>
    public const string LegacyGroup = "traefik.containo.us";

    /// <summary>
    /// Gets or sets the API group of Traefik's resources, <c>traefik.io</c> or <c>traefik.containo.us</c>;
    /// <see langword="null"/> asks the cluster, preferring <c>traefik.io</c>.
    /// </summary>
    public string? ApiGroup { get; set; }
}
