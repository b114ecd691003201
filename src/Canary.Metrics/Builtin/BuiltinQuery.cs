namespace Canary.Metrics.Builtin;

/// <summary>Fills a builtin query's label selector, which differs per workload role.</summary>
internal static class BuiltinQuery
{
    public const string SelectorToken = "SELECTOR";

    public static string? WithSelector(string query, string? selector) =>
        selector is null ? null : query.Replace(SelectorToken, selector, StringComparison.Ordinal);

    public static string RoleSuffix(Canary.Workloads.WorkloadRole role) => role switch
    {
        Canary.Workloads.WorkloadRole.Primary => "primary",
        Canary.Workloads.WorkloadRole.Baseline => "baseline",
        _ => "canary",
    };
}
