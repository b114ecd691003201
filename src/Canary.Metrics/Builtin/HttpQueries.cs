using Canary.Workloads;

namespace Canary.Metrics.Builtin;

/// <summary>
/// Metrics the application exports itself, as Flagger's http observer reads them: a histogram
/// <c>http_request_duration_seconds</c> with a <c>status</c> label, scraped with <c>kubernetes_namespace</c> and
/// <c>kubernetes_pod_name</c> labels. Used by the kubernetes, gatewayapi and label-ratio providers.
/// </summary>
internal static class HttpQueries
{
    // Anchored, the pattern matches name-<replicaset hash>-<pod suffix> only, so "podinfo" does not match the pods
    // of "podinfo-primary".
    private const string Selector =
        "kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";

    private const string SuccessRateQuery = """
        sum(rate(http_request_duration_seconds_count{SELECTOR,status!~"5.*"}[{{ interval }}]))
        /
        sum(rate(http_request_duration_seconds_count{SELECTOR}[{{ interval }}]))
        * 100
        """;

    private const string DurationQuery = """
        histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{SELECTOR}[{{ interval }}])) by (le)) * 1000
        """;

    private const string RequestsQuery = """
        sum(increase(http_request_duration_seconds_count{SELECTOR}[{{ interval }}]))
        """;

    private const string ErrorsQuery = """
        sum(increase(http_request_duration_seconds_count{SELECTOR,status=~"5.*"}[{{ interval }}]))
        """;

    private const string BucketsQuery = """
        sum by (le) (increase(http_request_duration_seconds_bucket{SELECTOR}[{{ interval }}]))
        """;

    public static string? SuccessRate(WorkloadRole role) => BuiltinQuery.WithSelector(SuccessRateQuery, Selector);

    public static string? Duration(WorkloadRole role) => BuiltinQuery.WithSelector(DurationQuery, Selector);

    public static TrafficQueries? Traffic(WorkloadRole role) => BuiltinQuery.Traffic(RequestsQuery, ErrorsQuery, BucketsQuery, Selector, 1000);
}
