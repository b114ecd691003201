using Canary.Events;
using Canary.Model;

namespace Canary.Testing.Simulation;

/// <summary>How a simulated rollout ended, and everything that happened on the way.</summary>
/// <param name="Status">The canary's final status.</param>
/// <param name="Events">Every event of the rollout, in order.</param>
/// <param name="Duration">The (virtual) time from the new revision to the end.</param>
/// <param name="Traffic">The requests each workload served.</param>
public sealed record CanarySimulationResult(CanaryStatus Status, IReadOnlyList<CanaryEvent> Events, TimeSpan Duration, TrafficTotals Traffic)
{
    /// <summary>Gets a value indicating whether the new revision was promoted.</summary>
    public bool Promoted => Status.Phase == CanaryPhase.Succeeded;

    /// <summary>Gets a value indicating whether the new revision was rolled back.</summary>
    public bool RolledBack => Status.Phase == CanaryPhase.Failed;

    /// <summary>Gets the highest traffic weight the canary was given.</summary>
    public int MaxCanaryWeight => Events.Count == 0 ? 0 : Events.Max(e => e.Weight);

    /// <summary>Returns the events of one type, in order.</summary>
    /// <param name="type">The event type.</param>
    /// <returns>The events.</returns>
    public IReadOnlyList<CanaryEvent> EventsOf(CanaryEventType type) => Events.Where(e => e.Type == type).ToList();
}
