using System.Globalization;
using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Cli.Output;

/// <summary>Writes events as a Flagger user reads them in <c>kubectl describe canary</c>: time, level, message.</summary>
internal sealed class TextEventWriter(TextWriter output) : IEventWriter
{
    public void Write(CanaryEvent canaryEvent)
    {
        var level = canaryEvent.Severity switch
        {
            AlertSeverity.Error => "error",
            AlertSeverity.Warn => "warn ",
            _ => "info ",
        };
        output.WriteLine($"{canaryEvent.Time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} {level} {canaryEvent.Message}");
    }

    public void WriteSummary(CanarySimulationResult result)
    {
        var traffic = result.Traffic;
        output.WriteLine();
        output.WriteLine($"Result: {result.Status.Phase} after {Format(result.Duration)} of simulated time, {result.Status.FailedChecks} failed check(s), highest canary weight {result.MaxCanaryWeight}%.");
        var baseline = traffic.BaselineRequests > 0 ? $", baseline served {traffic.BaselineRequests} ({traffic.BaselineErrors} errors)" : string.Empty;
        output.WriteLine(
            $"Traffic: primary served {traffic.PrimaryRequests} requests ({traffic.PrimaryErrors} errors), canary served {traffic.CanaryRequests} ({traffic.CanaryErrors} errors){baseline}.");
    }

    private static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h{duration.Minutes}m" : duration.TotalMinutes >= 1 ? $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s" : $"{duration.TotalSeconds:0}s";
}
