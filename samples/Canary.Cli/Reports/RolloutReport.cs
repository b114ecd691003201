using System.Globalization;
using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Cli.Reports;

/// <summary>
/// What a rollout report shows: the canary, every event of its rollout in order, and how it ended. Built from events
/// alone, so that every verb can write one: <c>simulate</c> from its result, <c>demo</c> and <c>run</c> from the events
/// they stream.
/// </summary>
/// <param name="Canary">The canary that was rolled out.</param>
/// <param name="Events">Every event of the rollout, in order.</param>
/// <param name="FinalPhase">The canary's phase at the end.</param>
internal sealed record RolloutReport(CanaryResource Canary, IReadOnlyList<CanaryEvent> Events, CanaryPhase FinalPhase)
{
    /// <summary>Gets where the rollout ran, shown under the title ("Simulated rollout", "Cluster kind-dev").</summary>
    public string Source { get; init; } = "Rollout";

    /// <summary>Gets the settings the rollout ran with, shown as label and value pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    /// <summary>Gets the tool that wrote the report, shown in the footer.</summary>
    public string Generator { get; init; } = "canary";

    /// <summary>Describes a simulated rollout: its result, and the simulated world it ran in.</summary>
    public static RolloutReport FromSimulation(CanaryResource canary, CanarySimulationResult result, CanarySimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var details = new List<KeyValuePair<string, string>>
        {
            new("Traffic", string.Create(CultureInfo.InvariantCulture, $"{options.Traffic.RequestsPerSecond:0.##} req/s, seed {options.Traffic.Seed}")),
            new("Primary", Describe(options.Primary)),
            new("Canary", Describe(options.Canary)),
        };
        if (options.MetricValues.Count > 0)
        {
            details.Add(new("Metric values", string.Join(", ", options.MetricValues.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")))));
        }

        if (options.FailingWebhooks.Count > 0)
        {
            details.Add(new("Failing webhooks", string.Join(", ", options.FailingWebhooks)));
        }

        details.Add(new("Served", string.Create(
            CultureInfo.InvariantCulture,
            $"primary {result.Traffic.PrimaryRequests} requests ({result.Traffic.PrimaryErrors} errors), canary {result.Traffic.CanaryRequests} ({result.Traffic.CanaryErrors} errors)")));
        return new RolloutReport(canary, result.Events, result.Status.Phase)
        {
            Source = "Simulated rollout",
            Details = details,
            Generator = "canary simulate",
        };
    }

    private static string Describe(WorkloadBehavior behavior) =>
        string.Create(CultureInfo.InvariantCulture, $"{behavior.ErrorRate * 100:0.##}% errors, {behavior.Latency.TotalMilliseconds:0.#} ms median");
}
