using System.Threading.Channels;
using Canary.Engine;
using Canary.Kubernetes.Leadership;
using Canary.Model;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Controller;

/// <summary>
/// The reconcile loop of one canary inside a <see cref="CanaryController"/>: a step at once, then one every <c>analysis.interval</c>
/// (counted from the start of the last step, so a slow step does not stretch the schedule), and a step at once when the spec
/// changes. Each step runs only after the elector confirms that this replica leads.
/// </summary>
internal sealed class CanaryLoop : IDisposable
{
    private readonly CanaryEngine _engine;
    private readonly LeaseLeaderElector _elector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<CanaryStepCompletedEventArgs> _completed;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private Snapshot _current;

    public CanaryLoop(
        CanaryResource canary,
        string uid,
        long generation,
        Task previous,
        CanaryEngine engine,
        LeaseLeaderElector elector,
        TimeProvider time,
        ILogger logger,
        Action<CanaryStepCompletedEventArgs> completed)
    {
        Uid = uid;
        _current = new Snapshot(canary, generation);
        _engine = engine;
        _elector = elector;
        _time = time;
        _logger = logger;
        _completed = completed;
        Completion = Task.Run(() => RunAsync(previous), CancellationToken.None);
    }

    public CanaryId Id => Canary.Id;

    /// <summary>Gets the uid of the Canary object, so that an object deleted and created again under the same name gets a new loop.</summary>
    public string Uid { get; }

    public CanaryResource Canary => Volatile.Read(ref _current).Canary;

    public long Generation => Volatile.Read(ref _current).Generation;

    /// <summary>Gets a task that completes when the loop has ended; it never faults.</summary>
    public Task Completion { get; }

    /// <summary>Runs the new spec from the next step on, and steps at once.</summary>
    public void Update(CanaryResource canary, long generation)
    {
        Volatile.Write(ref _current, new Snapshot(canary, generation));
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Starts no more steps, lets a running one finish for up to <paramref name="grace"/>, then cancels it. Call it once.</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public Task StopAsync(TimeSpan grace)
    {
        // Synchronously, so that the grace period is counted from the stop itself, not from whenever an await resumes.
        _stop.Cancel();
        if (grace <= TimeSpan.Zero)
        {
            _abort.Cancel();
            return EndAsync(Completion, grace);
        }

        return EndAsync(Completion.WaitAsync(grace, _time), grace);
    }

    private async Task EndAsync(Task finished, TimeSpan grace)
    {
        try
        {
            await finished;
        }
        catch (TimeoutException)
        {
            ControllerLog.StepCancelled(_logger, Id, grace);
            await _abort.CancelAsync();
        }

        await Completion;
        Dispose();
    }

    /// <summary>Releases the loop's tokens; call it only once the loop has ended.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _abort.Dispose();
    }

    private async Task RunAsync(Task previous)
    {
        // The loop this one replaces may still be finishing a step of the same canary; two steps of one canary never overlap.
        await previous;
        var due = _time.GetUtcNow();
        while (await WaitUntilAsync(due))
        {
            var (canary, generation) = Volatile.Read(ref _current);
            var started = _time.GetUtcNow();
            try
            {
                if (!await _elector.EnsureLeaderAsync(_abort.Token))
                {
                    due = started + _elector.RetryPeriod;
                    continue;
                }

                var status = await _engine.ReconcileAsync(canary, _abort.Token);
                _completed(new CanaryStepCompletedEventArgs(canary, generation, status, null));
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // A failed step (or Lease request) changes nothing that was not saved; the next step starts again from there.
                ControllerLog.StepFailed(_logger, exception, canary.Id);
                _completed(new CanaryStepCompletedEventArgs(canary, generation, null, exception));
            }

            due = started + canary.Spec.Analysis.Interval;
        }
    }

    /// <summary>Waits until <paramref name="due"/>, or less when the spec changes.</summary>
    /// <returns><see langword="false"/> when the loop is stopping.</returns>
    private async Task<bool> WaitUntilAsync(DateTimeOffset due)
    {
        while (true)
        {
            if (_stop.IsCancellationRequested)
            {
                return false;
            }

            var delay = due - _time.GetUtcNow();
            if (_wake.Reader.TryRead(out _) || delay <= TimeSpan.Zero)
            {
                return true;
            }

            using var timer = new CancellationTokenSource(delay, _time);
            if (due <= _time.GetUtcNow())
            {
                // The clock passed the due time while the timer was made, which then counts its delay from too late.
                return true;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timer.Token);
            try
            {
                await _wake.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Due, or stopping: the checks above tell which.
            }
        }
    }

    private sealed record Snapshot(CanaryResource Canary, long Generation);
}
