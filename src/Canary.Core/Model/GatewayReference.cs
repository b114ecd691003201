namespace Canary.Model;

/// <summary>A Gateway API gateway that a route attaches to.</summary>
/// <param name="Name">The gateway's name.</param>
/// <param name="Namespace">The gateway's namespace, or <see langword="null"/> for the canary's own.</param>
public sealed record GatewayReference(string Name, string? Namespace = null);
