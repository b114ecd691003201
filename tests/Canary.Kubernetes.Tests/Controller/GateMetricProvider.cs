using Canary.Analysis;

namespace Canary.Kubernetes.Tests.Controller;

/// <summary>
/// Answers every metric with 100, except that once <see cref="Block"/> is called the next query waits until <see cref="Release"/>,
/// or until its step is cancelled: a test holds a step in flight with it.
/// </summary>
internal sealed class GateMetricProvider : IMetricProvider
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _blocked;
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "*";

    /// <summary>Gets a task that completes when a query waits at the gate.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Gets a value indicating whether the waiting query saw its step cancelled.</summary>
    public bool SawCancellation { get; private set; }

    public void Block()
    {
        lock (_gate)
        {
            _blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _blocked?.TrySetResult();
            _blocked = null;
        }
    }

    public async ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        Task? wait;
        lock (_gate)
        {
            wait = _blocked?.Task;
            _entered.TrySetResult();
        }

        if (wait is not null)
        {
            try
            {
                await wait.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }
        }

        return new MetricResult(100, 100);
    }
}
