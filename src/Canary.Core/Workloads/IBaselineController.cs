using Canary.Model;

namespace Canary.Workloads;

/// <summary>
/// Runs a canary's <c>name-baseline</c> workload for <c>analysis.baseline: true</c>: the stable version (the primary's
/// template) at the canary's scale, taking the same share of traffic as the canary, so that the two are compared on
/// equal terms (same age, same size, same traffic). It is optional: an <see cref="IWorkloadController"/> need not
/// implement it, and without one the engine compares the canary with the primary. Every call sets an absolute state.
/// </summary>
public interface IBaselineController
{
    /// <summary>Creates the baseline from the primary's template, or scales it to the canary's scale.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the baseline is requested.</returns>
    ValueTask ScaleUpBaselineAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Removes the baseline (or scales it to zero); a baseline that does not exist is no error.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the baseline is gone.</returns>
    ValueTask ScaleDownBaselineAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Tells whether the baseline has finished rolling out.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The baseline's readiness.</returns>
    ValueTask<WorkloadReadiness> GetBaselineReadinessAsync(CanaryResource canary, CancellationToken cancellationToken);
}
