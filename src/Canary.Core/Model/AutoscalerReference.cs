namespace Canary.Model;

/// <summary>A reference to the autoscaler of the target workload; Flagger creates a <c>-primary</c> copy of it.</summary>
/// <param name="ApiVersion">The autoscaler's API version, for example <c>autoscaling/v2</c>.</param>
/// <param name="Kind">The autoscaler's kind, for example <c>HorizontalPodAutoscaler</c>.</param>
/// <param name="Name">The autoscaler's name.</param>
public sealed record AutoscalerReference(string ApiVersion, string Kind, string Name)
{
    /// <summary>Gets the minimum replicas of the primary's autoscaler, or <see langword="null"/> to copy the target's.</summary>
    public int? PrimaryMinReplicas { get; init; }

    /// <summary>Gets the maximum replicas of the primary's autoscaler, or <see langword="null"/> to copy the target's.</summary>
    public int? PrimaryMaxReplicas { get; init; }
}
