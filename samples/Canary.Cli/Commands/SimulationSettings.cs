using Canary.Events;
using Canary.Testing.Simulation;

namespace Canary.Cli.Commands;

/// <summary>The traffic options of <c>canary simulate</c>, checked before anything runs.</summary>
internal sealed record SimulationSettings(
    double RequestsPerSecond,
    double PrimaryErrorRate,
    double CanaryErrorRate,
    double PrimaryLatencyMs,
    double CanaryLatencyMs,
    int Seed,
    int Replicas)
{
    public void Validate(List<string> problems)
    {
        if (!(RequestsPerSecond > 0) || RequestsPerSecond > 100_000)
        {
            problems.Add($"--requests-per-second: must be greater than 0 and at most 100000 (got {RequestsPerSecond})");
        }

        if (Replicas is < 1 or > 1000)
        {
            problems.Add($"--replicas: must be between 1 and 1000 (got {Replicas})");
        }

        CheckRate("--primary-error-rate", PrimaryErrorRate, problems);
        CheckRate("--canary-error-rate", CanaryErrorRate, problems);
        CheckLatency("--primary-latency-ms", PrimaryLatencyMs, problems);
        CheckLatency("--canary-latency-ms", CanaryLatencyMs, problems);
    }

    public CanarySimulationOptions ToOptions(IReadOnlyDictionary<string, double> metricValues, IReadOnlyCollection<string> failingWebhooks, Action<CanaryEvent> onEvent) => new()
    {
        Primary = new WorkloadBehavior(PrimaryErrorRate, TimeSpan.FromMilliseconds(PrimaryLatencyMs)),
        Canary = new WorkloadBehavior(CanaryErrorRate, TimeSpan.FromMilliseconds(CanaryLatencyMs)),
        Traffic = new SimulatedTrafficOptions { RequestsPerSecond = RequestsPerSecond, Seed = Seed },
        Cluster = new SimulatedClusterOptions { Replicas = Replicas },
        MetricValues = metricValues,
        FailingWebhooks = failingWebhooks,
        OnEvent = onEvent,
    };

    private static void CheckRate(string option, double value, List<string> problems)
    {
        if (value is < 0 or > 1 || double.IsNaN(value))
        {
            problems.Add($"{option}: must be a fraction between 0 and 1 (got {value})");
        }
    }

    private static void CheckLatency(string option, double value, List<string> problems)
    {
        if (value is < 0 or > 3_600_000 || double.IsNaN(value))
        {
            problems.Add($"{option}: must be between 0 and 3600000 milliseconds (got {value})");
        }
    }
}
