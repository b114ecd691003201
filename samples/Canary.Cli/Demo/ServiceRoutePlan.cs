using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// Routes without a routing object. <c>label-ratio</c>: every request goes to the apex Service, whose pods (the ready replicas
/// of both the primary and the canary Deployment) are equally likely, so the canary's share is its share of ready pods.
/// <c>kubernetes</c>: no split; every request goes to the primary (to the apex Service while the primary has no pods, as before
/// the canary is initialized).
/// </summary>
internal sealed class ServiceRoutePlan(RouteSettings settings, bool labelRatio) : RoutePlan
{
    public override string Description => labelRatio
        ? $"label ratio: Service {settings.Service} spreads requests evenly over the ready pods of {settings.PrimaryDeployment} and {settings.Target}"
        : $"no split: every request goes to {settings.PrimaryService}";

    public override double? CanaryShare => labelRatio ? null : 0;

    public override RouteDecision Choose(HttpRequest request, RouteContext context)
    {
        if (labelRatio)
        {
            return RouteDecision.Forward(settings.Service, settings.Port);
        }

        return RouteDecision.Forward(context.EndpointCount(settings.PrimaryService) > 0 ? settings.PrimaryService : settings.Service, settings.Port);
    }
}
