using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Cli.Commands;

/// <summary>
/// Plays the gateway controller of a fake cluster: marks every HTTPRoute of a namespace Accepted by each of its parents
/// for its current generation, which the Gateway API and Linkerd routers wait for before they count a weight.
/// </summary>
internal sealed class SimulatedGatewayController(FakeKubernetesApiServer server, string @namespace)
{
    private static readonly string[] RouteApis = ["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"];

    /// <summary>Accepts the routes whose current generation is not accepted yet.</summary>
    /// <returns>How many routes were accepted.</returns>
    public int AcceptRoutes()
    {
        var accepted = 0;
        foreach (var apiVersion in RouteApis)
        {
            foreach (var route in TryList(apiVersion))
            {
                var generation = long.Parse(route["metadata"]!["generation"]?.ToJsonString() ?? "1", CultureInfo.InvariantCulture);
                var parents = new JsonArray();
                foreach (var parent in route["spec"]?["parentRefs"]?.AsArray() ?? [])
                {
                    parents.Add(new JsonObject
                    {
                        ["parentRef"] = parent!.DeepClone(),
                        ["controllerName"] = "canary.dev/simulated-gateway",
                        ["conditions"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "Accepted",
                            ["status"] = "True",
                            ["reason"] = "Accepted",
                            ["message"] = "accepted by the simulated gateway",
                            ["observedGeneration"] = generation,
                        }),
                    });
                }

                route["status"] = new JsonObject { ["parents"] = parents };
                server.PutObject(route);
                accepted++;
            }
        }

        return accepted;
    }

    private IEnumerable<JsonObject> TryList(string apiVersion)
    {
        try
        {
            return server.ListObjects(apiVersion, "HTTPRoute", @namespace);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            // The API is not registered on this fake cluster.
            return [];
        }
    }
}
