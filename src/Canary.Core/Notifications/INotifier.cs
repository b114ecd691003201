using Canary.Events;
using Canary.Model;

namespace Canary.Notifications;

/// <summary>Delivers a canary's events to people: Slack, Teams, a log, a chat-ops bot.</summary>
public interface INotifier
{
    /// <summary>Delivers one event; a failure is logged by the engine and never stops the rollout.</summary>
    /// <param name="canary">The canary, whose alerts say where and at which severity to send.</param>
    /// <param name="canaryEvent">The event.</param>
    /// <param name="cancellationToken">A token that cancels the delivery.</param>
    /// <returns>A task that completes when the event was handed over.</returns>
    ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken);
}
