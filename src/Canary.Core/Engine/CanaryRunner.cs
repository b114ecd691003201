using Canary.Events;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Engine;

/// <summary>
/// Runs a canary's reconcile loop: one step at once, then one every <c>analysis.interval</c> by the engine's
/// <see cref="TimeProvider"/>, so that tests with a manual clock run hours of rollout in milliseconds.
/// </summary>
/// <param name="engine">The engine that runs each step.</param>
/// <param name="timeProvider">The clock that paces the steps.</param>
/// <param name="logger">The logger for failed steps, or <see langword="null"/>.</param>
public sealed class CanaryRunner(CanaryEngine engine, TimeProvider timeProvider, ILogger<CanaryRunner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<CanaryRunner>.Instance;

    /// <summary>Runs the loop until <paramref name="cancellationToken"/> is cancelled, or until the rollout finishes if <paramref name="untilFinished"/> is set.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="untilFinished">Whether to return once a rollout has succeeded or failed.</param>
    /// <param name="cancellationToken">A token that stops the loop between or during steps.</param>
    /// <returns>The last status.</returns>
    public async Task<CanaryStatus?> RunAsync(CanaryResource canary, bool untilFinished = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canary);
        CanaryStatus? status = null;
        var started = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                status = await engine.ReconcileAsync(canary, cancellationToken);
                started |= status.Phase is not (CanaryPhase.Initializing or CanaryPhase.Initialized or CanaryPhase.Succeeded or CanaryPhase.Failed);
                if (untilFinished && started && status.IsFinished)
                {
                    return status;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // A failed step changes nothing that was not saved; the next step starts again from the saved status.
                _logger.LogWarning(new EventId(1000 + (int)CanaryEventType.StepFailed, nameof(CanaryEventType.StepFailed)), exception,
                    "Reconcile step of canary {Canary} failed; retrying at the next interval", canary.Id);
            }

            try
            {
                await Task.Delay(canary.Spec.Analysis.Interval, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return status;
    }
}
