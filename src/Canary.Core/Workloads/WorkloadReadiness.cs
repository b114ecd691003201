namespace Canary.Workloads;

/// <summary>Whether a workload has finished rolling out.</summary>
/// <param name="State">Ready, still progressing, or failed for good.</param>
/// <param name="Reason">Why it is not ready, or <see langword="null"/>.</param>
public readonly record struct WorkloadReadiness(WorkloadReadinessState State, string? Reason = null)
{
    /// <summary>Gets a ready workload.</summary>
    public static WorkloadReadiness Ready => new(WorkloadReadinessState.Ready);

    /// <summary>Returns a workload that is still rolling out.</summary>
    /// <param name="reason">What it waits for.</param>
    /// <returns>The readiness.</returns>
    public static WorkloadReadiness Progressing(string reason) => new(WorkloadReadinessState.Progressing, reason);

    /// <summary>Returns a workload that will not become ready (for example, past its progress deadline).</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The readiness.</returns>
    public static WorkloadReadiness Failed(string reason) => new(WorkloadReadinessState.Failed, reason);
}
