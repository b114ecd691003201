using Canary.Analysis;

namespace Canary.Cli.Sandbox;

/// <summary>Answers the builtin metrics of each canary from the requests its proxy measured, as Prometheus would from the ingress's.</summary>
internal sealed class SandboxMetricProvider(SandboxTraffic traffic) : IMetricProvider
{
    /// <summary>The provider type the engine sends the builtin metrics to.</summary>
    public const string ProviderName = "sandbox";

    public string Name => ProviderName;

    public ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return traffic.MetricsOf(query.Canary.Id) is { } metrics
            ? metrics.QueryAsync(query, cancellationToken)
            : ValueTask.FromResult(MetricResult.NoData($"the sandbox has no traffic for {query.Canary.Id} yet"));
    }
}
