using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Canary.Events;

/// <summary>The engine's meter, instruments and activity source, created once per host through <see cref="IMeterFactory"/> when it has one.</summary>
internal sealed class CanaryInstruments : IDisposable
{
    private readonly Meter _meter;

    public CanaryInstruments(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(CanaryTelemetry.Name) ?? new Meter(CanaryTelemetry.Name);
        Events = _meter.CreateCounter<long>(CanaryTelemetry.EventsCounter, description: "Canary engine events by type.");
        Weight = _meter.CreateGauge<int>(CanaryTelemetry.WeightGauge, unit: "%", description: "The canary's share of traffic.");
        ReconcileDuration = _meter.CreateHistogram<double>(CanaryTelemetry.ReconcileDuration, unit: "s", description: "Duration of one reconcile step.");
        ActivitySource = new ActivitySource(CanaryTelemetry.Name);
    }

    public Counter<long> Events { get; }

    public Gauge<int> Weight { get; }

    public Histogram<double> ReconcileDuration { get; }

    public ActivitySource ActivitySource { get; }

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
