using System.Collections.Concurrent;
using Canary.Metrics.Templates;
using Canary.Workloads;

namespace Canary.Metrics.Builtin;

/// <summary>The queries that count one workload's requests, errors and latencies per traffic provider (see docs/metrics.md).</summary>
internal static class BuiltinTrafficQueries
{
    private const string Source = "builtin traffic samples";

    private static readonly ConcurrentDictionary<(string Provider, WorkloadRole Role), TrafficQueries?> Parsed = new();

    /// <summary>Gets the queries for one workload of a provider.</summary>
    /// <param name="trafficProvider">The traffic provider, for example <c>nginx</c> or <c>smi:v1alpha2</c>.</param>
    /// <param name="role">The workload counted.</param>
    /// <returns>The queries, with their placeholders.</returns>
    /// <exception cref="MetricTemplateException">The provider has no series to count this workload's requests from.</exception>
    public static TrafficQueries Get(string trafficProvider, WorkloadRole role)
    {
        ArgumentNullException.ThrowIfNull(trafficProvider);
        var provider = Model.TrafficProviders.BaseName(trafficProvider);
        if (Parsed.GetOrAdd((provider, role), static key => Find(key.Provider, key.Role)) is { } queries)
        {
            return queries;
        }

        var reason = BuiltinPrometheusQueries.TrafficProviders.Contains(provider, StringComparer.Ordinal)
            ? $"traffic provider \"{trafficProvider}\" cannot count the {role.ToString().ToLowerInvariant()} workload's requests on its own"
            : $"traffic provider \"{trafficProvider}\" has no builtin request counters (those that do: {string.Join(", ", BuiltinPrometheusQueries.TrafficProviders)})";
        throw new MetricTemplateException($"no Prometheus traffic samples: {reason}.", Source, null);
    }

    private static TrafficQueries? Find(string provider, WorkloadRole role) => provider switch
    {
        Model.TrafficProviders.Nginx => NginxQueries.Traffic(role),
        Model.TrafficProviders.Traefik => TraefikQueries.Traffic(role),
        Model.TrafficProviders.Linkerd => LinkerdQueries.Traffic(role),
        Model.TrafficProviders.GatewayApi or Model.TrafficProviders.Kubernetes or Model.TrafficProviders.LabelRatio => HttpQueries.Traffic(role),
        _ => null,
    };
}
