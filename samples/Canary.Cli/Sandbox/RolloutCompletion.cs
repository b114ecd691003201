using System.Collections.Concurrent;
using Canary.Kubernetes.Controller;
using Canary.Model;

namespace Canary.Cli.Sandbox;

/// <summary>
/// Tells when every one of a set of canaries has finished a rollout that this run saw start, for <c>canary run --until-finished</c>:
/// a CI step that applies a new version and waits for its verdict. A canary that is already Succeeded or Failed when the run
/// starts has not finished anything yet; it counts once it has progressed and then finished.
/// </summary>
/// <param name="canaries">The canaries to wait for.</param>
internal sealed class RolloutCompletion(IReadOnlyCollection<CanaryId> canaries)
{
    private readonly ConcurrentDictionary<CanaryId, bool> _started = new();
    private readonly ConcurrentDictionary<CanaryId, CanaryPhase> _finished = new();
    private readonly TaskCompletionSource _allFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task that completes when every canary has finished a rollout.</summary>
    public Task AllFinished => _allFinished.Task;

    /// <summary>Gets a value indicating whether every canary has finished, promoted.</summary>
    public bool AllPromoted => AllFinished.IsCompleted && _finished.Values.All(phase => phase == CanaryPhase.Succeeded);

    /// <summary>Gets each finished canary's outcome.</summary>
    public IReadOnlyDictionary<CanaryId, CanaryPhase> Outcomes => _finished;

    /// <summary>Takes in the status after one of the controller's steps.</summary>
    /// <param name="sender">The controller.</param>
    /// <param name="step">The step.</param>
    public void Observe(object? sender, CanaryStepCompletedEventArgs step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var id = step.Canary.Id;
        if (step.Status is not { } status || !canaries.Contains(id))
        {
            return;
        }

        if (status.Phase is CanaryPhase.Waiting or CanaryPhase.Progressing or CanaryPhase.WaitingPromotion or CanaryPhase.Promoting or CanaryPhase.Finalising)
        {
            _started[id] = true;
        }
        else if (status.IsFinished && _started.ContainsKey(id))
        {
            _finished[id] = status.Phase;
            if (_finished.Count == canaries.Count)
            {
                _allFinished.TrySetResult();
            }
        }
    }
}
