using Canary.Model;

namespace Canary.Workloads;

/// <summary>
/// Manages the workloads of a canary: the primary (the stable version at full scale) and the canary (the target,
/// scaled to zero between rollouts). Every call sets an absolute state, so repeating it after a crash does no harm.
/// </summary>
public interface IWorkloadController
{
    /// <summary>Creates the primary from the target if needed and hands traffic to it without dropping ready capacity.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> once the primary is ready and serves the traffic; <see langword="false"/> while it is still coming up.</returns>
    ValueTask<bool> InitializeAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Computes the revision of the target: a hash of its pod template and of the configuration it references.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The revision.</returns>
    ValueTask<string> GetRevisionAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Tells whether a workload has finished rolling out.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="role">The workload asked about.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The workload's readiness.</returns>
    ValueTask<WorkloadReadiness> GetReadinessAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken);

    /// <summary>Scales the canary to the primary's scale (from zero at the start of a run).</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the scale is set.</returns>
    ValueTask ScaleUpCanaryAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Scales the canary to zero.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the scale is set.</returns>
    ValueTask ScaleDownCanaryAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Copies the canary's pod template (and its configuration) into the primary, which then rolls out.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the primary has been updated.</returns>
    ValueTask PromoteAsync(CanaryResource canary, CancellationToken cancellationToken);
}
