namespace Canary.Model;

/// <summary>A reference to a <see cref="MetricTemplate"/>.</summary>
/// <param name="Name">The template's name.</param>
/// <param name="Namespace">The template's namespace, or <see langword="null"/> for the canary's own.</param>
public sealed record TemplateReference(string Name, string? Namespace = null);
