namespace Canary.Kubernetes.Client;

/// <summary>What happens to the dependents (objects with an owner reference) of a deleted object.</summary>
public enum PropagationPolicy
{
    /// <summary>Dependents are kept and their owner reference removed.</summary>
    Orphan,

    /// <summary>The object goes at once; the garbage collector removes dependents afterwards.</summary>
    Background,

    /// <summary>The object stays, with a deletion timestamp, until its blocking dependents are gone.</summary>
    Foreground,
}
