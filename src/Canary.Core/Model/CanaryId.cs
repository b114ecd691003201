namespace Canary.Model;

/// <summary>Identifies a canary by its name and namespace, written <c>name.namespace</c> as Flagger's events write it.</summary>
/// <param name="Name">The canary's name, which is also the target workload's name by default.</param>
/// <param name="Namespace">The Kubernetes namespace the canary lives in.</param>
public readonly record struct CanaryId(string Name, string Namespace)
{
    /// <summary>Returns <c>name.namespace</c>.</summary>
    /// <returns>The canary's display name.</returns>
    public override string ToString() => $"{Name}.{Namespace}";
}
