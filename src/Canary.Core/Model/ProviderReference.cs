namespace Canary.Model;

/// <summary>A reference to an alert provider object.</summary>
/// <param name="Name">The provider's name.</param>
/// <param name="Namespace">The provider's namespace, or <see langword="null"/> for the canary's own.</param>
public sealed record ProviderReference(string Name, string? Namespace = null);
