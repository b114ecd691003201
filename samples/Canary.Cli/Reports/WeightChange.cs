using Canary.Events;

namespace Canary.Cli.Reports;

/// <summary>One change of the canary's traffic weight, and the event that made it.</summary>
/// <param name="Time">When the weight changed.</param>
/// <param name="From">The weight before.</param>
/// <param name="To">The weight after.</param>
/// <param name="Cause">The event type that changed it.</param>
/// <param name="EventIndex">The event's position in the rollout.</param>
internal sealed record WeightChange(DateTimeOffset Time, int From, int To, CanaryEventType Cause, int EventIndex)
{
    /// <summary>Gets a value indicating whether this is one of the rollout's steps rather than the return to zero at its end.</summary>
    public bool IsStep => Cause == CanaryEventType.WeightAdvanced;
}
