namespace Canary.Testing.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when told to, so that tests and simulations run hours of
/// rollout in milliseconds. Timers (and so <c>Task.Delay</c> with this provider) fire as <see cref="Advance"/> passes
/// their due time, in due-time order.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>The default start: 2000-01-01T00:00:00Z, as Microsoft's fake time provider starts.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>Initializes a new instance of the <see cref="ManualTimeProvider"/> class.</summary>
    /// <param name="start">The clock's start, or <see langword="null"/> for <see cref="DefaultStart"/>.</param>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? DefaultStart;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward, firing every timer that falls due on the way at its own due time.</summary>
    /// <param name="delta">How far; must not be negative.</param>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }

        while (TryTakeDue(target, out var timer, out var dueTime))
        {
            lock (_lock)
            {
                _now = dueTime;
            }

            timer.Fire();
        }

        lock (_lock)
        {
            _now = target;
        }
    }

    /// <summary>Sets the clock to a later time, firing timers on the way.</summary>
    /// <param name="value">The new time; must not be earlier than now.</param>
    public void SetUtcNow(DateTimeOffset value)
    {
        var now = GetUtcNow();
        ArgumentOutOfRangeException.ThrowIfLessThan(value, now);
        Advance(value - now);
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private bool TryTakeDue(DateTimeOffset target, out ManualTimer timer, out DateTimeOffset dueTime)
    {
        lock (_lock)
        {
            ManualTimer? earliest = null;
            foreach (var candidate in _timers)
            {
                if (candidate.DueAt <= target
                    && (earliest is null || candidate.DueAt < earliest.DueAt || (candidate.DueAt == earliest.DueAt && candidate.Sequence < earliest.Sequence)))
                {
                    earliest = candidate;
                }
            }

            if (earliest is null)
            {
                timer = null!;
                dueTime = default;
                return false;
            }

            timer = earliest;
            dueTime = earliest.DueAt;
            if (earliest.Period > TimeSpan.Zero)
            {
                earliest.DueAt += earliest.Period;
            }
            else
            {
                _timers.Remove(earliest);
            }

            return true;
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                DueAt = owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                Sequence = ++owner._sequence;
                owner._timers.Add(this);
                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
