namespace Canary.Model;

/// <summary>A canary as a host knows it: its identity and its desired rollout behaviour.</summary>
/// <param name="Id">The canary's name and namespace.</param>
/// <param name="Spec">What to roll out and how to judge it.</param>
public sealed record CanaryResource(CanaryId Id, CanarySpec Spec)
{
    /// <summary>Gets the labels on the canary object itself.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyDictionary.Instance;
}
