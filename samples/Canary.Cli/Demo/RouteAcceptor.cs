using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Demo;

/// <summary>
/// Plays the gateway (or mesh) controller for the one HTTPRoute the proxy obeys: once it has read a generation, it reports every
/// parent's <c>Accepted</c> and <c>ResolvedRefs</c> conditions as True for that generation in <c>status.parents</c>, as a real
/// controller does, since routers wait for that before they count a weight as in effect.
/// </summary>
internal sealed class RouteAcceptor(IKubernetesApi api, ResourceType routes, string namespaceName, string name, TimeProvider timeProvider, ILogger logger) : IDisposable
{
    /// <summary>The <c>controllerName</c> the proxy reports under.</summary>
    public const string ControllerName = "canary.dev/demo-proxy";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Accepts the route's current generation if it is the obeyed route and not accepted yet; failures are logged, and the next change retries.</summary>
    public async Task AcceptAsync(JsonObject route, CancellationToken cancellationToken)
    {
        if (KubernetesObject.GetName(route) != name || KubernetesObject.GetNamespace(route) != namespaceName)
        {
            return;
        }

        var generation = RouteMatching.Integer(route["metadata"]?["generation"]) ?? 0;
        var parentRefs = RouteMatching.Objects(route["spec"]?["parentRefs"]).ToList();
        if (IsAccepted(route, generation, parentRefs.Count))
        {
            return;
        }

        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The proxy is stopping.
            return;
        }

        try
        {
            var now = timeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            JsonObject Condition(string type, string reason, string message) => new()
            {
                ["type"] = type,
                ["status"] = "True",
                ["reason"] = reason,
                ["message"] = message,
                ["observedGeneration"] = generation,
                ["lastTransitionTime"] = now,
            };

            var parents = new JsonArray();
            foreach (var parentRef in parentRefs)
            {
                parents.Add(new JsonObject
                {
                    ["parentRef"] = parentRef.DeepClone(),
                    ["controllerName"] = ControllerName,
                    ["conditions"] = new JsonArray(
                        Condition("Accepted", "Accepted", "Route is routed by the demo proxy"),
                        Condition("ResolvedRefs", "ResolvedRefs", "Backends resolve to the demo's pods")),
                });
            }

            var patch = new JsonObject { ["status"] = new JsonObject { ["parents"] = parents } };
            await api.PatchAsync(routes, namespaceName, name, KubernetesPatch.Merge(patch), subresource: "status", cancellationToken: cancellationToken);
        }
        catch (KubernetesException ex)
        {
            logger.LogWarning(ex, "Could not accept {Kind} {Name} generation {Generation}", routes.Kind, name, generation);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            // The proxy is stopping, or the API server is.
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static bool IsAccepted(JsonObject route, long generation, int parentCount)
    {
        var parents = RouteMatching.Objects(route["status"]?["parents"]).ToList();
        return parents.Count == parentCount && parents.All(parent => RouteMatching.Objects(parent["conditions"]).Any(condition =>
            RouteMatching.String(condition["type"]) == "Accepted"
            && RouteMatching.String(condition["status"]) == "True"
            && RouteMatching.Integer(condition["observedGeneration"]) == generation));
    }
}
