using Canary.Model;
using Canary.Workloads;

namespace Canary.Analysis;

/// <summary>One metric check to measure.</summary>
/// <param name="Canary">The canary analysed.</param>
/// <param name="Metric">The check, with its window.</param>
/// <param name="Template">The check's template, or <see langword="null"/> for a builtin metric.</param>
public sealed record MetricQuery(CanaryResource Canary, MetricCheck Metric, MetricTemplate? Template)
{
    /// <summary>Gets the workload measured.</summary>
    /// <value>The default value is <see cref="WorkloadRole.Canary"/>.</value>
    public WorkloadRole Role { get; init; } = WorkloadRole.Canary;

    /// <summary>Gets the traffic provider whose builtin queries apply.</summary>
    public string TrafficProvider => Canary.Spec.Provider is { } provider ? TrafficProviders.BaseName(provider) : TrafficProviders.Kubernetes;
}
