namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// A view of a manual clock for one loop under test: it counts the timers the loop creates (each <c>Task.Delay</c>), so that a
/// test advances the clock only once the loop is parked on its next delay, with no sleeps.
/// </summary>
internal sealed class ParkingClock(TimeProvider inner) : TimeProvider, IDisposable
{
    private readonly SemaphoreSlim _parked = new(0);

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        _parked.Release();
        return timer;
    }

    public void Dispose() => _parked.Dispose();

    /// <summary>Waits until the loop has created its next timer, or <paramref name="loop"/> has ended.</summary>
    public async Task<bool> WaitParkedAsync(Task loop)
    {
        var parked = _parked.WaitAsync(FakeCluster.Timeout);
        await Task.WhenAny(parked, loop);
        return !loop.IsCompleted;
    }
}
