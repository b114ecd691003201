using Canary.Analysis;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Templates;

/// <summary>The values of a query's placeholders: Flagger's <c>name</c>, <c>namespace</c>, <c>target</c>, <c>service</c>, <c>ingress</c>, <c>route</c>, <c>interval</c> and <c>variables</c>.</summary>
public sealed record MetricTemplateContext
{
    /// <summary>Gets the canary's name (<c>{{ name }}</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the canary's namespace (<c>{{ namespace }}</c>).</summary>
    public required string Namespace { get; init; }

    /// <summary>Gets the measured workload (<c>{{ target }}</c>): the target's name for the canary, <c>name-primary</c> for the primary, <c>name-baseline</c> for the baseline.</summary>
    public required string Target { get; init; }

    /// <summary>Gets the apex Service's name (<c>{{ service }}</c>).</summary>
    public required string Service { get; init; }

    /// <summary>Gets the user's Ingress named by <c>spec.ingressRef</c> (<c>{{ ingress }}</c>), or <see langword="null"/>.</summary>
    public string? Ingress { get; init; }

    /// <summary>Gets the routing object the traffic provider manages (<c>{{ route }}</c>), or <see langword="null"/> when it manages none.</summary>
    public string? Route { get; init; }

    /// <summary>Gets the window the metric is measured over (<c>{{ interval }}</c>, written as a Go duration such as <c>1m</c>).</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>Gets the check's template variables (<c>{{ variables.NAME }}</c>).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Builds the values for one metric query.</summary>
    /// <param name="query">The query.</param>
    /// <returns>The placeholder values.</returns>
    public static MetricTemplateContext FromQuery(MetricQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var spec = query.Canary.Spec;
        var targetName = spec.TargetRef.Name;
        var service = spec.Service.Name ?? targetName;
        return new MetricTemplateContext
        {
            Name = query.Canary.Id.Name,
            Namespace = query.Canary.Id.Namespace,
            Target = query.Role switch
            {
                WorkloadRole.Primary => targetName + "-primary",
                WorkloadRole.Baseline => targetName + "-baseline",
                _ => targetName,
            },
            Service = service,
            Ingress = spec.IngressRef?.Name,
            Route = RouteName(query.TrafficProvider, service),
            Interval = query.Metric.EffectiveInterval,
            Variables = query.Metric.TemplateVariables,
        };
    }

    // The routers name their HTTPRoute, TraefikService and TrafficSplit after the apex Service; the other
    // providers manage no route object, so a template that asks for one gets a clear error instead of "".
    private static string? RouteName(string trafficProvider, string service) => trafficProvider switch
    {
        TrafficProviders.GatewayApi or TrafficProviders.Traefik or TrafficProviders.Linkerd or TrafficProviders.Smi => service,
        _ => null,
    };
}
