namespace Canary.Testing.Kubernetes;

/// <summary>
/// A fault injected into the fake API server: matching requests either fail with a chosen status or stall until
/// released. Returned by <see cref="FakeKubernetesApiServer.FailNext"/> and <see cref="FakeKubernetesApiServer.Stall"/>.
/// </summary>
public sealed class FaultRule
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<FakeApiRequest, bool> _predicate;
    private int _remaining;
    private int _hits;

    internal FaultRule(Func<FakeApiRequest, bool> predicate, int times, bool stall, int statusCode, string reason, string message)
    {
        _predicate = predicate;
        _remaining = times;
        IsStall = stall;
        StatusCode = statusCode;
        Reason = reason;
        Message = message;
    }

    /// <summary>How many requests this rule has affected so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>How many more requests it will affect.</summary>
    public int Remaining => Math.Max(0, Volatile.Read(ref _remaining));

    /// <summary>Whether matching requests stall rather than fail.</summary>
    public bool IsStall { get; }

    /// <summary>The status code a failing request gets.</summary>
    public int StatusCode { get; }

    /// <summary>The Status reason a failing request gets.</summary>
    public string Reason { get; }

    /// <summary>The Status message a failing request gets.</summary>
    public string Message { get; }

    /// <summary>Lets every request stalled by this rule continue, and stops the rule from stalling more.</summary>
    public void Release()
    {
        Interlocked.Exchange(ref _remaining, 0);
        _released.TrySetResult();
    }

    /// <summary>Stops the rule from affecting further requests (stalled ones stay stalled until released).</summary>
    public void Remove() => Interlocked.Exchange(ref _remaining, 0);

    internal bool TryTake(FakeApiRequest request)
    {
        if (Volatile.Read(ref _remaining) <= 0 || !_predicate(request))
        {
            return false;
        }

        if (Interlocked.Decrement(ref _remaining) < 0)
        {
            return false;
        }

        Interlocked.Increment(ref _hits);
        return true;
    }

    internal Task WaitAsync(CancellationToken cancellationToken) => _released.Task.WaitAsync(cancellationToken);
}
