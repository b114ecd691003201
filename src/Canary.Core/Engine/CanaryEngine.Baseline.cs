using Canary.Model;
using Canary.Workloads;
using Microsoft.Extensions.Logging;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    private readonly IBaselineController? _baselines;
    private readonly ILogger _logger;

    /// <summary>Gets the workload the canary is compared with: its baseline when the spec asks for one and a controller runs it, else the primary.</summary>
    private WorkloadRole ComparisonRole(ReconcileStep step) => UsesBaseline(step) ? WorkloadRole.Baseline : WorkloadRole.Primary;

    private bool UsesBaseline(ReconcileStep step) => step.Analysis.Baseline && _baselines is not null;

    /// <summary>Starts the baseline of a run that asks for one.</summary>
    private async ValueTask ScaleUpBaselineAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        if (!step.Analysis.Baseline)
        {
            return;
        }

        if (_baselines is null)
        {
            _logger.LogWarning(
                "Canary {Canary} asks for a baseline, but no IBaselineController is registered; it is compared with the primary instead",
                step.Id);
            return;
        }

        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.baselines.ScaleUpBaselineAsync(state.canary, ct),
            (baselines: _baselines, canary: step.Canary),
            cancellationToken);
    }

    /// <summary>Removes the baseline once the run is decided.</summary>
    private async ValueTask ScaleDownBaselineAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        if (!UsesBaseline(step))
        {
            return;
        }

        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.baselines.ScaleDownBaselineAsync(state.canary, ct),
            (baselines: _baselines!, canary: step.Canary),
            cancellationToken);
    }

    /// <summary>Returns the baseline's readiness, or ready when the run has no baseline.</summary>
    private ValueTask<WorkloadReadiness> GetBaselineReadinessAsync(ReconcileStep step, CancellationToken cancellationToken) =>
        UsesBaseline(step)
            ? _pipelines.Workloads.ExecuteAsync(
                static (state, ct) => state.baselines.GetBaselineReadinessAsync(state.canary, ct),
                (baselines: _baselines!, canary: step.Canary),
                cancellationToken)
            : ValueTask.FromResult(WorkloadReadiness.Ready);
}
