using Canary.Workloads;

namespace Canary.Metrics.Builtin;

/// <summary>The Linkerd proxy's inbound metrics of the measured Deployment, as Flagger's linkerd observer reads them.</summary>
internal static class LinkerdQueries
{
    private const string Selector = "namespace=\"{{ namespace }}\",deployment=~\"{{ target }}\"";

    private const string SuccessRateQuery = """
        sum(rate(response_total{SELECTOR,classification!="failure",direction="inbound"}[{{ interval }}]))
        /
        sum(rate(response_total{SELECTOR,direction="inbound"}[{{ interval }}]))
        * 100
        """;

    // response_latency_ms is already in milliseconds.
    private const string DurationQuery = """
        histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{SELECTOR,direction="inbound"}[{{ interval }}])) by (le))
        """;

    private const string RequestsQuery = """
        sum(increase(response_total{SELECTOR,direction="inbound"}[{{ interval }}]))
        """;

    private const string ErrorsQuery = """
        sum(increase(response_total{SELECTOR,classification="failure",direction="inbound"}[{{ interval }}]))
        """;

    private const string BucketsQuery = """
        sum by (le) (increase(response_latency_ms_bucket{SELECTOR,direction="inbound"}[{{ interval }}]))
        """;

    public static string? SuccessRate(WorkloadRole role) => BuiltinQuery.WithSelector(SuccessRateQuery, Selector);

    public static string? Duration(WorkloadRole role) => BuiltinQuery.WithSelector(DurationQuery, Selector);

    public static TrafficQueries? Traffic(WorkloadRole role) => BuiltinQuery.Traffic(RequestsQuery, ErrorsQuery, BucketsQuery, Selector, 1);
}
