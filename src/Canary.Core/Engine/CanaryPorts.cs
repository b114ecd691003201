using System.Diagnostics.Metrics;
using Canary.Analysis;
using Canary.Gates;
using Canary.Notifications;
using Canary.Routing;
using Canary.State;
using Canary.Workloads;

namespace Canary.Engine;

/// <summary>The adapters a <see cref="CanaryEngine"/> acts through.</summary>
public sealed class CanaryPorts
{
    /// <summary>Gets the traffic routers, one per provider (or one for <c>*</c>).</summary>
    public required IEnumerable<ITrafficRouter> Routers { get; init; }

    /// <summary>Gets the workload controller.</summary>
    public required IWorkloadController Workloads { get; init; }

    /// <summary>Gets the status store.</summary>
    public required ICanaryStatusStore StatusStore { get; init; }

    /// <summary>Gets the metric providers, one per provider type (or one for <c>*</c>).</summary>
    public IEnumerable<IMetricProvider> MetricProviders { get; init; } = [];

    /// <summary>Gets where metric templates are found.</summary>
    public IMetricTemplateStore MetricTemplates { get; init; } = new InMemoryMetricTemplateStore();

    /// <summary>Gets the webhook client.</summary>
    public required IWebhookClient Webhooks { get; init; }

    /// <summary>Gets the gate that people approve or reject rollouts through, or <see langword="null"/> when the host has none.</summary>
    public IApprovalGate? ApprovalGate { get; init; }

    /// <summary>Gets the notifiers.</summary>
    public IEnumerable<INotifier> Notifiers { get; init; } = [];

    /// <summary>Gets what counts the workloads' requests for the sequential judge, or <see langword="null"/> when the host has none.</summary>
    public ITrafficSampleProvider? TrafficSamples { get; init; }

    /// <summary>Gets what runs the baseline workloads of <c>analysis.baseline</c>, or <see langword="null"/> to compare canaries with their primary.</summary>
    public IBaselineController? Baselines { get; init; }

    /// <summary>Gets the meter factory of the host, or <see langword="null"/> to create the "Canary" meter directly.</summary>
    public IMeterFactory? MeterFactory { get; init; }
}
