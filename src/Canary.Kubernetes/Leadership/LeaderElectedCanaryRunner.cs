using System.Collections.Concurrent;
using Canary.Engine;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Leadership;

/// <summary>
/// Runs canaries' reconcile loops like <see cref="CanaryRunner"/>, but only while this replica leads: every retry period of the
/// <see cref="LeaseLeaderElector"/> it renews (or tries) the Lease, and it runs a canary's step only as leader, once every
/// <c>analysis.interval</c>. A replica that becomes leader steps at once, resuming from the saved status.
/// </summary>
/// <remarks>
/// A step runs to its end even if the Lease expires meanwhile; the status store's optimistic concurrency then refuses the
/// stale replica's save if the new leader saved first. Release the elector (<see cref="LeaseLeaderElector.ReleaseAsync"/>) when
/// the host stops, so that another replica takes over without waiting for the Lease to expire.
/// </remarks>
/// <param name="engine">The engine that runs each step.</param>
/// <param name="elector">The leader election this replica takes part in.</param>
/// <param name="timeProvider">The clock that paces the loop.</param>
/// <param name="logger">The logger for failed steps, or <see langword="null"/>.</param>
public sealed class LeaderElectedCanaryRunner(CanaryEngine engine, LeaseLeaderElector elector, TimeProvider timeProvider, ILogger<LeaderElectedCanaryRunner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<LeaderElectedCanaryRunner>.Instance;
    private readonly ConcurrentDictionary<CanaryId, DateTimeOffset> _nextStep = new();

    /// <summary>Gets the leader election this runner takes part in.</summary>
    public LeaseLeaderElector Elector => elector;

    /// <summary>Runs one round: renews or tries the Lease when due, and as leader runs the canary's step when due.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>The status after the step, or <see langword="null"/> when no step ran (not leader, or not due).</returns>
    /// <exception cref="Exception">The step or the Lease request failed; the next round tries again.</exception>
    public async ValueTask<CanaryStatus?> TickAsync(CanaryResource canary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (!await elector.EnsureLeaderAsync(cancellationToken))
        {
            // A replica that leads again must step at once: the status may have moved on under another leader.
            _nextStep.Clear();
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (_nextStep.TryGetValue(canary.Id, out var due) && now < due)
        {
            return null;
        }

        _nextStep[canary.Id] = now + canary.Spec.Analysis.Interval;
        return await engine.ReconcileAsync(canary, cancellationToken);
    }

    /// <summary>Runs rounds until <paramref name="cancellationToken"/> is cancelled, or until the rollout finishes if <paramref name="untilFinished"/> is set.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="untilFinished">Whether to return once a rollout this replica stepped has succeeded or failed.</param>
    /// <param name="cancellationToken">A token that stops the loop.</param>
    /// <returns>The last status this replica saw, or <see langword="null"/> when it never led.</returns>
    public async Task<CanaryStatus?> RunAsync(CanaryResource canary, bool untilFinished = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canary);
        CanaryStatus? last = null;
        var started = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await TickAsync(canary, cancellationToken) is { } status)
                {
                    last = status;
                    started |= status.Phase is not (CanaryPhase.Initializing or CanaryPhase.Initialized or CanaryPhase.Succeeded or CanaryPhase.Failed);
                    if (untilFinished && started && status.IsFinished)
                    {
                        return status;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // A failed step or Lease request changes nothing that was not saved; the next round starts again from there.
                LeadershipLog.StepFailed(_logger, exception, canary.Id.ToString());
            }

            try
            {
                await Task.Delay(Pause(canary.Id), timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return last;
    }

    private TimeSpan Pause(CanaryId id)
    {
        var pause = elector.RetryPeriod;
        if (elector.IsLeader && _nextStep.TryGetValue(id, out var due))
        {
            var untilDue = due - timeProvider.GetUtcNow();
            if (untilDue > TimeSpan.Zero && untilDue < pause)
            {
                pause = untilDue;
            }
        }

        return pause;
    }
}
