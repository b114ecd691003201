using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Canary.Events;

/// <summary>The names under which Canary reports traces and metrics, for hosts that subscribe to them.</summary>
public static class CanaryTelemetry
{
    /// <summary>The name of the <see cref="Meter"/> and of the <see cref="ActivitySource"/>: <c>Canary</c>.</summary>
    public const string Name = "Canary";

    /// <summary>The counter of events, tagged with <c>canary.event.type</c>.</summary>
    public const string EventsCounter = "canary.events";

    /// <summary>The gauge of each canary's traffic weight, tagged with <c>canary.name</c>.</summary>
    public const string WeightGauge = "canary.weight";

    /// <summary>The histogram of reconcile step durations in seconds.</summary>
    public const string ReconcileDuration = "canary.reconcile.duration";

    /// <summary>The name of the activity that spans one reconcile step.</summary>
    public const string ReconcileActivity = "canary.reconcile";
}
