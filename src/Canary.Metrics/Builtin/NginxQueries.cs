using Canary.Workloads;

namespace Canary.Metrics.Builtin;

/// <summary>
/// ingress-nginx's metrics, as Flagger's nginx observer reads them: requests through the user's Ingress, where the
/// <c>canary</c> label is set when the canary Ingress served the request.
/// </summary>
internal static class NginxQueries
{
    private const string SuccessRateQuery = """
        sum(rate(nginx_ingress_controller_requests{SELECTOR,status!~"5.*"}[{{ interval }}]))
        /
        sum(rate(nginx_ingress_controller_requests{SELECTOR}[{{ interval }}]))
        * 100
        """;

    // Flagger divides the response-time sum by the count, a mean; the P99 of the request-duration histogram is
    // what the builtin metric promises, and what a slow tail moves.
    private const string DurationQuery = """
        histogram_quantile(0.99, sum(rate(nginx_ingress_controller_request_duration_seconds_bucket{SELECTOR}[{{ interval }}])) by (le)) * 1000
        """;

    private const string RequestsQuery = """
        sum(increase(nginx_ingress_controller_requests{SELECTOR}[{{ interval }}]))
        """;

    private const string ErrorsQuery = """
        sum(increase(nginx_ingress_controller_requests{SELECTOR,status=~"5.*"}[{{ interval }}]))
        """;

    private const string BucketsQuery = """
        sum by (le) (increase(nginx_ingress_controller_request_duration_seconds_bucket{SELECTOR}[{{ interval }}]))
        """;

    public static string? SuccessRate(WorkloadRole role) => BuiltinQuery.WithSelector(SuccessRateQuery, Selector(role));

    public static string? Duration(WorkloadRole role) => BuiltinQuery.WithSelector(DurationQuery, Selector(role));

    public static TrafficQueries? Traffic(WorkloadRole role) => BuiltinQuery.Traffic(RequestsQuery, ErrorsQuery, BucketsQuery, Selector(role), 1000);

    // The canary Ingress's requests carry canary="<upstream>", the primary's an empty one. A baseline has no
    // Ingress of its own, so ingress-nginx cannot tell its requests apart.
    private static string? Selector(WorkloadRole role) => role switch
    {
        WorkloadRole.Canary => "namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary!=\"\"",
        WorkloadRole.Primary => "namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary=\"\"",
        _ => null,
    };
}
