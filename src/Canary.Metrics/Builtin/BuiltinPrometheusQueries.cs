using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Canary.Metrics.Templates;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Builtin;

/// <summary>
/// The PromQL of the builtin metrics (<c>request-success-rate</c> in percent, <c>request-duration</c> as a P99 in
/// milliseconds) for each traffic provider, equivalent to Flagger's observers. See docs/metrics.md.
/// </summary>
public static class BuiltinPrometheusQueries
{
    private static readonly ConcurrentDictionary<(string Provider, string Metric, WorkloadRole Role), PromQlTemplate> Parsed = new();

    /// <summary>Gets the traffic providers that have builtin queries.</summary>
    public static IReadOnlyList<string> TrafficProviders { get; } =
    [
        Model.TrafficProviders.Nginx,
        Model.TrafficProviders.Traefik,
        Model.TrafficProviders.Linkerd,
        Model.TrafficProviders.GatewayApi,
        Model.TrafficProviders.Kubernetes,
        Model.TrafficProviders.LabelRatio,
    ];

    /// <summary>Finds the query of a builtin metric.</summary>
    /// <param name="trafficProvider">The traffic provider's base name, for example <c>nginx</c>.</param>
    /// <param name="metric">The builtin metric's name (see <see cref="BuiltinMetrics"/>).</param>
    /// <param name="role">The workload measured.</param>
    /// <param name="query">The query, with its placeholders.</param>
    /// <returns><see langword="true"/> when the provider has this metric for this role.</returns>
    public static bool TryGet(string trafficProvider, string metric, WorkloadRole role, [NotNullWhen(true)] out PromQlTemplate? query)
    {
        ArgumentNullException.ThrowIfNull(trafficProvider);
        ArgumentNullException.ThrowIfNull(metric);
        query = null;
        var provider = Model.TrafficProviders.BaseName(trafficProvider);
        if (Text(provider, metric, role) is not { } text)
        {
            return false;
        }

        query = Parsed.GetOrAdd(
            (provider, metric, role),
            static (key, text) => PromQlTemplate.Parse(text, $"builtin metric \"{key.Metric}\" of {key.Provider}"),
            text);
        return true;
    }

    /// <summary>Gets the query of a builtin metric.</summary>
    /// <param name="trafficProvider">The traffic provider's base name, for example <c>nginx</c>.</param>
    /// <param name="metric">The builtin metric's name (see <see cref="BuiltinMetrics"/>).</param>
    /// <param name="role">The workload measured.</param>
    /// <returns>The query, with its placeholders.</returns>
    /// <exception cref="MetricTemplateException">The provider has no builtin query for this metric and role.</exception>
    public static PromQlTemplate Get(string trafficProvider, string metric, WorkloadRole role)
    {
        if (TryGet(trafficProvider, metric, role, out var query))
        {
            return query;
        }

        var source = $"builtin metric \"{metric}\"";
        if (!BuiltinMetrics.IsBuiltin(metric))
        {
            throw new MetricTemplateException(
                $"\"{metric}\" is not a builtin metric (those are {BuiltinMetrics.RequestSuccessRate} and {BuiltinMetrics.RequestDuration}): give the check a templateRef.",
                source,
                null);
        }

        var reason = TrafficProviders.Contains(Model.TrafficProviders.BaseName(trafficProvider), StringComparer.Ordinal)
            ? $"traffic provider \"{trafficProvider}\" cannot measure the {role.ToString().ToLowerInvariant()} workload on its own"
            : $"traffic provider \"{trafficProvider}\" has no builtin Prometheus queries (those that do: {string.Join(", ", TrafficProviders)})";
        throw new MetricTemplateException($"no builtin query for metric \"{metric}\": {reason}; define the metric with a MetricTemplate.", source, null);
    }

    private static string? Text(string provider, string metric, WorkloadRole role) => (provider, metric) switch
    {
        (Model.TrafficProviders.Nginx, BuiltinMetrics.RequestSuccessRate) => NginxQueries.SuccessRate(role),
        (Model.TrafficProviders.Nginx, BuiltinMetrics.RequestDuration) => NginxQueries.Duration(role),
        (Model.TrafficProviders.Traefik, BuiltinMetrics.RequestSuccessRate) => TraefikQueries.SuccessRate(role),
        (Model.TrafficProviders.Traefik, BuiltinMetrics.RequestDuration) => TraefikQueries.Duration(role),
        (Model.TrafficProviders.Linkerd, BuiltinMetrics.RequestSuccessRate) => LinkerdQueries.SuccessRate(role),
        (Model.TrafficProviders.Linkerd, BuiltinMetrics.RequestDuration) => LinkerdQueries.Duration(role),
        (Model.TrafficProviders.GatewayApi or Model.TrafficProviders.Kubernetes or Model.TrafficProviders.LabelRatio, BuiltinMetrics.RequestSuccessRate) => HttpQueries.SuccessRate(role),
        (Model.TrafficProviders.GatewayApi or Model.TrafficProviders.Kubernetes or Model.TrafficProviders.LabelRatio, BuiltinMetrics.RequestDuration) => HttpQueries.Duration(role),
        _ => null,
    };
}
