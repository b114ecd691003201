using Canary.Metrics.Templates;

namespace Canary.Metrics.Builtin;

/// <summary>Fills a builtin query's label selector, which differs per workload role.</summary>
internal static class BuiltinQuery
{
    public const string SelectorToken = "SELECTOR";

    public static string? WithSelector(string query, string? selector) =>
        selector is null ? null : query.Replace(SelectorToken, selector, StringComparison.Ordinal);

    /// <summary>Parses the traffic-sample queries of a provider for one workload, or returns null when it cannot select that workload.</summary>
    public static TrafficQueries? Traffic(string requests, string errors, string buckets, string? selector, double millisecondsPerUnit) =>
        selector is null
            ? null
            : new TrafficQueries(
                PromQlTemplate.Parse(WithSelector(requests, selector)!, "builtin request count"),
                PromQlTemplate.Parse(WithSelector(errors, selector)!, "builtin error count"),
                PromQlTemplate.Parse(WithSelector(buckets, selector)!, "builtin request-duration buckets"),
                millisecondsPerUnit);

    public static string RoleSuffix(Canary.Workloads.WorkloadRole role) => role switch
    {
        Canary.Workloads.WorkloadRole.Primary => "primary",
        Canary.Workloads.WorkloadRole.Baseline => "baseline",
        _ => "canary",
    };
}
