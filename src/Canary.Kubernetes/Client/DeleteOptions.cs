namespace Canary.Kubernetes.Client;

/// <summary>Query parameters of a delete request.</summary>
public sealed record DeleteOptions
{
    /// <summary>Gets how dependents are treated, or <see langword="null"/> for the resource's default.</summary>
    public PropagationPolicy? PropagationPolicy { get; init; }

    /// <summary>Gets the grace period in seconds, or <see langword="null"/> for the object's default; 0 deletes at once.</summary>
    public int? GracePeriodSeconds { get; init; }
}
