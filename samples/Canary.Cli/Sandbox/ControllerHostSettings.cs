using Canary.Analysis;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.State;
using Canary.Model;

namespace Canary.Cli.Sandbox;

/// <summary>What a <see cref="ControllerHost"/> connects to and runs.</summary>
internal sealed record ControllerHostSettings
{
    /// <summary>Gets how to reach the cluster.</summary>
    public required KubernetesClientConfiguration Configuration { get; init; }

    /// <summary>Gets the namespace whose canaries run, or <see langword="null"/> for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the only canaries to run; empty runs every one.</summary>
    public IReadOnlyCollection<CanaryId> Canaries { get; init; } = [];

    /// <summary>Gets the namespace of the controller's Lease.</summary>
    public required string LeaseNamespace { get; init; }

    /// <summary>Gets the name of the controller's Lease.</summary>
    public string LeaseName { get; init; } = "canary-controller";

    /// <summary>Gets the provider of canaries whose spec names none.</summary>
    public string Provider { get; init; } = TrafficProviders.Kubernetes;

    /// <summary>Gets the API group of the Canary objects.</summary>
    public string CanaryGroup { get; init; } = CanaryResourceTypes.DefaultGroup;

    /// <summary>Gets the version of the Canary objects.</summary>
    public string CanaryVersion { get; init; } = CanaryResourceTypes.DefaultVersion;

    /// <summary>Gets the Prometheus server that answers the builtin metrics, or <see langword="null"/>.</summary>
    public Uri? MetricsServer { get; init; }

    /// <summary>Gets a provider that answers the builtin metrics instead of Prometheus (the sandbox's proxies), or <see langword="null"/>.</summary>
    public IMetricProvider? BuiltinMetrics { get; init; }

    /// <summary>Gets how long running steps may take to finish once Ctrl+C is pressed.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets where the report says the rollouts ran, for example <c>Cluster kind-dev</c>.</summary>
    public string Source { get; init; } = "Cluster";

    /// <summary>Gets the verb that writes the reports, for their footer.</summary>
    public string Generator { get; init; } = "canary run";
}
