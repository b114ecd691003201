namespace Canary.Workloads;

/// <summary>The states of <see cref="WorkloadReadiness"/>.</summary>
public enum WorkloadReadinessState
{
    /// <summary>Every replica is updated and available.</summary>
    Ready,

    /// <summary>Still rolling out; waiting is not a failed check.</summary>
    Progressing,

    /// <summary>The rollout will not finish.</summary>
    Failed,
}
