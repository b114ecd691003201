using Canary.Model;
using Canary.State;

namespace Canary.Engine;

/// <summary>
/// The host's controls over a rollout (promote, abort, retry, pause, resume), for a chat-ops bot, a pipeline's manual
/// step or an operator's CLI. A command is saved with the canary's status and applied by the engine's next step,
/// which records it as an event; a later command replaces one not yet applied.
/// </summary>
/// <param name="store">The status store the engine reads.</param>
/// <param name="timeProvider">The clock that stamps requests.</param>
public sealed class CanaryCommands(ICanaryStatusStore store, TimeProvider timeProvider)
{
    private const int MaxAttempts = 5;

    /// <summary>Asks for the canary to be promoted now, skipping its remaining analysis and gates.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="reason">Why, for the event.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>A task that completes when the command is saved.</returns>
    public ValueTask PromoteAsync(CanaryId id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(id, CanaryCommand.Promote, reason, cancellationToken);

    /// <summary>Asks for the canary to be rolled back now.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="reason">Why, for the event.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>A task that completes when the command is saved.</returns>
    public ValueTask AbortAsync(CanaryId id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(id, CanaryCommand.Abort, reason, cancellationToken);

    /// <summary>Asks for a failed revision to be rolled out again, without a spec change.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="reason">Why, for the event.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>A task that completes when the command is saved.</returns>
    public ValueTask RetryAsync(CanaryId id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(id, CanaryCommand.Retry, reason, cancellationToken);

    /// <summary>Asks for the rollout to hold where it is until it is resumed.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="reason">Why, for the event.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>A task that completes when the command is saved.</returns>
    public ValueTask PauseAsync(CanaryId id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(id, CanaryCommand.Pause, reason, cancellationToken);

    /// <summary>Asks for a paused rollout to continue.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="reason">Why, for the event.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>A task that completes when the command is saved.</returns>
    public ValueTask ResumeAsync(CanaryId id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(id, CanaryCommand.Resume, reason, cancellationToken);

    /// <summary>Saves a command for the canary's next step, re-reading the status when the engine saved it meanwhile.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="command">The command.</param>
    /// <param name="reason">Why, for the event.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>A task that completes when the command is saved.</returns>
    /// <exception cref="InvalidOperationException">The engine has never seen the canary.</exception>
    public async ValueTask SendAsync(CanaryId id, CanaryCommand command, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(id, cancellationToken)
                ?? throw new InvalidOperationException($"Canary {id} has no status yet: the engine must run it once before it takes commands.");
            var request = new CanaryCommandRequest(command, reason, timeProvider.GetUtcNow());
            try
            {
                await store.SaveAsync(id, current.Status with { PendingCommand = request }, current.Version, cancellationToken);
                return;
            }
            catch (CanaryStatusConflictException) when (attempt < MaxAttempts)
            {
                // The engine saved a step in between: apply the command to the status it saved.
            }
        }
    }
}
