using Canary.Analysis;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Core.Tests.Engine;

/// <summary>A traffic sample provider whose counts a test sets per workload role, recording every call.</summary>
internal sealed class ScriptedTrafficSampleProvider : ITrafficSampleProvider
{
    private readonly List<(WorkloadRole Role, TimeSpan Window)> _calls = [];

    /// <summary>Gets or sets the counts for a role; the default has no traffic.</summary>
    public Func<WorkloadRole, TrafficCounts> Answer { get; set; } = _ => TrafficCounts.Empty;

    /// <summary>Gets or sets a message to throw with instead of answering.</summary>
    public string? Failure { get; set; }

    public IReadOnlyList<(WorkloadRole Role, TimeSpan Window)> Calls => _calls;

    /// <summary>Answers <paramref name="canary"/> for the canary and <paramref name="comparison"/> for any other role.</summary>
    public void Returns(TrafficCounts canary, TrafficCounts comparison) =>
        Answer = role => role == WorkloadRole.Canary ? canary : comparison;

    public ValueTask<TrafficCounts> GetCountsAsync(CanaryResource canary, WorkloadRole role, TimeSpan window, CancellationToken cancellationToken)
    {
        _calls.Add((role, window));
        return Failure is { } message ? throw new InvalidOperationException(message) : ValueTask.FromResult(Answer(role));
    }
}
