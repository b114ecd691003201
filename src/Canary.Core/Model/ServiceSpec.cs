namespace Canary.Model;

/// <summary>How the canary's Services (<c>name</c>, <c>name-primary</c>, <c>name-canary</c>) and routes are exposed.</summary>
public sealed record ServiceSpec
{
    /// <summary>Gets the apex Service's name; <see langword="null"/> uses the target's name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the Service port.</summary>
    public int Port { get; init; }

    /// <summary>Gets the port's name.</summary>
    /// <value>The default value is <c>http</c>.</value>
    public string PortName { get; init; } = "http";

    /// <summary>Gets the container port the Services target; <see langword="null"/> uses <see cref="Port"/>.</summary>
    public string? TargetPort { get; init; }

    /// <summary>Gets the public hostnames routed to the canary's Service.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>
    /// Gets a hostname that always reaches the canary (ingress-style routers: NGINX, Traefik, Gateway API), so that it can
    /// be tried before it takes real traffic; <see langword="null"/> for none.
    /// </summary>
    public string? PreviewHost { get; init; }

    /// <summary>Gets the Gateway API gateways the route attaches to.</summary>
    public IReadOnlyList<GatewayReference> GatewayRefs { get; init; } = [];

    /// <summary>Gets the request matches that select the traffic the canary's routes apply to.</summary>
    public IReadOnlyList<HttpMatch> Match { get; init; } = [];
}
