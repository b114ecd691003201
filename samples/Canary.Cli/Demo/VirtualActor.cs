using Canary.Testing.Time;

namespace Canary.Cli.Demo;

/// <summary>
/// The virtual clock as one sequential piece of the demo sees it (the engine's runner, the initialization loop, the progress
/// line): the same <see cref="ManualTimeProvider"/>, but it knows whether that piece is at work or waiting on the clock, so that
/// the <see cref="DemoVirtualClock"/> moves the clock only once the piece waits. A piece waits from the moment it creates a timer
/// (a <c>Task.Delay</c> on this provider) until the timer fires, and is busy otherwise, until it is disposed.
/// </summary>
/// <remarks>Only one-shot timers are tracked; the pieces that use it wait with <c>Task.Delay</c>, which creates nothing else.</remarks>
internal sealed class VirtualActor(ManualTimeProvider clock) : TimeProvider, IDisposable
{
    private int _waiting;
    private int _finished;

    /// <summary>Gets a value indicating whether the piece waits on the clock, or has finished.</summary>
    public bool IsIdle => Volatile.Read(ref _finished) == 1 || Volatile.Read(ref _waiting) > 0;

    /// <summary>Gets a value indicating whether the piece has finished.</summary>
    public bool IsFinished => Volatile.Read(ref _finished) == 1;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    /// <inheritdoc />
    public override long TimestampFrequency => clock.TimestampFrequency;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => clock.GetTimestamp();

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var wait = new Wait(this);
        Interlocked.Increment(ref _waiting);

        // Busy again before the callback lets the piece go on, so that the driver cannot see it idle in between.
        var timer = clock.CreateTimer(s => { wait.End(); callback(s); }, state, dueTime, period);
        return new ActorTimer(timer, wait);
    }

    /// <summary>Marks the piece finished: it no longer holds the clock back.</summary>
    public void Dispose() => Volatile.Write(ref _finished, 1);

    private sealed class Wait(VirtualActor actor)
    {
        private int _ended;

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Interlocked.Decrement(ref actor._waiting);
            }
        }
    }

    private sealed class ActorTimer(ITimer inner, Wait wait) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            wait.End();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
