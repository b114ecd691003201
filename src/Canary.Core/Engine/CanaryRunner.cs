using Canary.Events;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Engine;

/// <summary>
/// Runs a canary's reconcile loop: one step at once, then one every <c>analysis.interval</c> by the engine's
/// <see cref="TimeProvider"/>, so that tests with a manual clock run hours of rollout in milliseconds. With a
/// sequential judge it also looks at the evidence between steps, every <see cref="JudgeSpec.LookInterval"/>.
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
        var interval = canary.Spec.Analysis.Interval;
        var look = canary.Spec.Analysis.Judge?.LookIntervalFor(interval) ?? interval;
        while (!cancellationToken.IsCancellationRequested)
        {
            status = await TryAsync(() => engine.ReconcileAsync(canary, cancellationToken), "Reconcile step", canary, cancellationToken) ?? status;
            started |= status is { Phase: not (CanaryPhase.Initializing or CanaryPhase.Initialized or CanaryPhase.Succeeded or CanaryPhase.Failed) };
            if (untilFinished && started && status is { IsFinished: true })
            {
                return status;
            }

            try
            {
                // Between steps the sequential judge looks every lookInterval; a look that calls for a step ends the wait.
                var due = timeProvider.GetUtcNow() + interval;
                var stepNow = false;
                while (!stepNow && timeProvider.GetUtcNow() + look < due)
                {
                    await Task.Delay(look, timeProvider, cancellationToken);
                    var result = await TryAsync(() => engine.LookAsync(canary, cancellationToken), "Look", canary, cancellationToken);
                    status = result?.Status ?? status;
                    if (untilFinished && started && status is { IsFinished: true })
                    {
                        return status;
                    }

                    stepNow = result?.StepNow == true;
                }

                var remaining = due - timeProvider.GetUtcNow();
                if (!stepNow && remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, timeProvider, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return status;
    }

    /// <summary>Runs a step or a look; one that fails changes nothing that was not saved, so the next one starts again from the saved status.</summary>
    private async Task<T?> TryAsync<T>(Func<ValueTask<T>> action, string what, CanaryResource canary, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception)
        {
            _logger.LogWarning(new EventId(1000 + (int)CanaryEventType.StepFailed, nameof(CanaryEventType.StepFailed)), exception,
                "{What} of canary {Canary} failed; retrying at the next interval", what, canary.Id);
            return null;
        }
    }
}
