using System.Collections.Concurrent;
using Canary.Events;
using Canary.Model;
using Canary.Notifications;

namespace Canary.Testing.Simulation;

/// <summary>A notifier that keeps every event, in order, for tests to assert on.</summary>
public sealed class RecordingNotifier : INotifier
{
    private readonly ConcurrentQueue<CanaryEvent> _events = new();

    /// <summary>Gets an optional callback that sees each event as it is recorded (a CLI prints them live).</summary>
    public Action<CanaryEvent>? OnEvent { get; init; }

    /// <summary>Gets the events recorded so far.</summary>
    public IReadOnlyCollection<CanaryEvent> Events => _events;

    /// <inheritdoc />
    public ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(canaryEvent);
        OnEvent?.Invoke(canaryEvent);
        return ValueTask.CompletedTask;
    }
}
