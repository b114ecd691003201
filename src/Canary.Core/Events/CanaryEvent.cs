using Canary.Model;

namespace Canary.Events;

/// <summary>One decision or observation of the engine, with the facts behind it.</summary>
/// <param name="Time">When it happened, by the engine's <see cref="TimeProvider"/>.</param>
/// <param name="Type">What happened.</param>
/// <param name="Canary">The canary it concerns.</param>
/// <param name="Phase">The canary's phase after the event.</param>
/// <param name="Weight">The canary's traffic weight after the event.</param>
/// <param name="FailedChecks">The run's failed checks after the event.</param>
/// <param name="Message">A sentence a Flagger user recognises.</param>
public sealed record CanaryEvent(
    DateTimeOffset Time,
    CanaryEventType Type,
    CanaryId Canary,
    CanaryPhase Phase,
    int Weight,
    int FailedChecks,
    string Message)
{
    /// <summary>Gets how serious the event is; alerts filter on it.</summary>
    public AlertSeverity Severity { get; init; } = AlertSeverity.Info;

    /// <summary>Gets the metric a check event concerns, or <see langword="null"/>.</summary>
    public string? Metric { get; init; }

    /// <summary>Gets the metric's measured value, or <see langword="null"/>.</summary>
    public double? Value { get; init; }

    /// <summary>Gets the range the metric was judged against, or <see langword="null"/>.</summary>
    public ThresholdRange? Threshold { get; init; }

    /// <summary>Gets the webhook a gate event concerns, or <see langword="null"/>.</summary>
    public string? Webhook { get; init; }
}
