using Canary.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Testing.Simulation;

/// <summary>The world a <see cref="CanarySimulation"/> runs a canary in.</summary>
public sealed record CanarySimulationOptions
{
    /// <summary>Gets how the stable version (the primary) answers.</summary>
    public WorkloadBehavior Primary { get; init; } = WorkloadBehavior.Healthy;

    /// <summary>Gets how the new version (the canary) answers.</summary>
    public WorkloadBehavior Canary { get; init; } = WorkloadBehavior.Healthy;

    /// <summary>Gets the users' and testers' traffic.</summary>
    public SimulatedTrafficOptions Traffic { get; init; } = new();

    /// <summary>Gets how the workloads scale and become ready.</summary>
    public SimulatedClusterOptions Cluster { get; init; } = new();

    /// <summary>Gets fixed values of custom (template) metrics, by metric or template name.</summary>
    public IReadOnlyDictionary<string, double> MetricValues { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets the names of webhooks that fail; every other webhook passes.</summary>
    public IReadOnlyCollection<string> FailingWebhooks { get; init; } = [];

    /// <summary>Gets the longest (virtual) time the rollout may take before the simulation gives up.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Gets a callback that sees each event as it happens.</summary>
    public Action<CanaryEvent>? OnEvent { get; init; }

    /// <summary>Gets a hook that changes the engine's composition, for example to take metrics from a real provider.</summary>
    public Action<ICanaryBuilder>? ConfigureEngine { get; init; }
}
