using Canary.Workloads;

namespace Canary.Metrics.Builtin;

/// <summary>
/// Traefik's service metrics, as Flagger's traefik observer reads them. Traefik names a Kubernetes backend
/// <c>namespace-service-port@kubernetescrd</c>; the weighted <c>TraefikService</c> sends to <c>service-canary</c>
/// and <c>service-primary</c>.
/// </summary>
internal static class TraefikQueries
{
    private const string SuccessRateQuery = """
        sum(rate(traefik_service_request_duration_seconds_bucket{SELECTOR,code!~"5..",le="+Inf"}[{{ interval }}]))
        /
        sum(rate(traefik_service_request_duration_seconds_bucket{SELECTOR,le="+Inf"}[{{ interval }}]))
        * 100
        """;

    private const string DurationQuery = """
        histogram_quantile(0.99, sum(rate(traefik_service_request_duration_seconds_bucket{SELECTOR}[{{ interval }}])) by (le)) * 1000
        """;

    private const string RequestsQuery = """
        sum(increase(traefik_service_request_duration_seconds_bucket{SELECTOR,le="+Inf"}[{{ interval }}]))
        """;

    private const string ErrorsQuery = """
        sum(increase(traefik_service_request_duration_seconds_bucket{SELECTOR,code=~"5..",le="+Inf"}[{{ interval }}]))
        """;

    private const string BucketsQuery = """
        sum by (le) (increase(traefik_service_request_duration_seconds_bucket{SELECTOR}[{{ interval }}]))
        """;

    public static string? SuccessRate(WorkloadRole role) => BuiltinQuery.WithSelector(SuccessRateQuery, Selector(role));

    public static string? Duration(WorkloadRole role) => BuiltinQuery.WithSelector(DurationQuery, Selector(role));

    public static TrafficQueries? Traffic(WorkloadRole role) => BuiltinQuery.Traffic(RequestsQuery, ErrorsQuery, BucketsQuery, Selector(role), 1000);

    // Flagger writes {{ target }}-canary; the Service is named after spec.service.name, which defaults to the
    // target's name, so {{ service }} is the same by default and right when the two differ.
    private static string Selector(WorkloadRole role) =>
        $"service=~\"{{{{ namespace }}}}-{{{{ service }}}}-{BuiltinQuery.RoleSuffix(role)}-[0-9a-zA-Z-]+@kubernetescrd\"";
}
