using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// The routing one provider's objects describe, built afresh from the cached objects at every change, so that a request reads one
/// consistent version of them.
/// </summary>
internal abstract class RoutePlan
{
    /// <summary>Gets a one-line description of the routes, for the demo's display.</summary>
    public abstract string Description { get; }

    /// <summary>Gets the canary's share of requests that no header or cookie match selects, from 0 to 1, when the objects say it.</summary>
    public virtual double? CanaryShare => null;

    /// <summary>Chooses the backend of one request.</summary>
    public abstract RouteDecision Choose(HttpRequest request, RouteContext context);
}
