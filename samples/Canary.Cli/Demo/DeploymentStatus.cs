using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Cli.Demo;

/// <summary>
/// The status a Deployment's pods give it, as the deployment controller writes it: counts (zero counts omitted, as the API omits
/// them), <c>observedGeneration</c>, and the <c>Available</c> and <c>Progressing</c> conditions.
/// </summary>
internal static class DeploymentStatus
{
    private static readonly string[] Counts = ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"];

    /// <summary>
    /// Returns the merge patch of <c>status</c> for <paramref name="running"/> pods of the current template, <paramref name="ready"/>
    /// of them ready, or <see langword="null"/> when the status already says so.
    /// </summary>
    public static JsonObject? Compute(JsonObject deployment, int running, int ready, DateTimeOffset now)
    {
        var generation = RouteMatching.Integer(deployment["metadata"]?["generation"]) ?? 1;
        var desired = (int)(RouteMatching.Integer(deployment["spec"]?["replicas"]) ?? 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["replicas"] = running,
            ["updatedReplicas"] = running,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["unavailableReplicas"] = Math.Max(0, desired - ready),
        };
        var available = ready >= desired
            ? ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
        var name = deployment["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var progressing = ready >= desired && running == desired
            ? ("True", "NewReplicaSetAvailable", $"ReplicaSet \"{name}\" has successfully progressed.")
            : ("True", "ReplicaSetUpdated", $"ReplicaSet \"{name}\" is progressing.");

        var current = deployment["status"] as JsonObject;
        var previous = RouteMatching.Objects(current?["conditions"]).ToList();
        if (current is not null
            && RouteMatching.Integer(current["observedGeneration"]) == generation
            && Counts.All(field => (RouteMatching.Integer(current[field]) ?? 0) == counts[field])
            && Holds(previous, "Available", available)
            && Holds(previous, "Progressing", progressing))
        {
            return null;
        }

        var status = new JsonObject { ["observedGeneration"] = generation };
        foreach (var field in Counts)
        {
            status[field] = counts[field] > 0 ? counts[field] : null;
        }

        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        status["conditions"] = new JsonArray(Condition(previous, "Available", available, stamp), Condition(previous, "Progressing", progressing, stamp));
        return status;
    }

    private static bool Holds(List<JsonObject> conditions, string type, (string Status, string Reason, string Message) wanted) =>
        conditions.Any(c => RouteMatching.String(c["type"]) == type && RouteMatching.String(c["status"]) == wanted.Status && RouteMatching.String(c["reason"]) == wanted.Reason);

    private static JsonObject Condition(List<JsonObject> previous, string type, (string Status, string Reason, string Message) value, string stamp)
    {
        var old = previous.FirstOrDefault(c => RouteMatching.String(c["type"]) == type);
        var transitioned = old is null || RouteMatching.String(old["status"]) != value.Status;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = value.Status,
            ["lastUpdateTime"] = stamp,
            ["lastTransitionTime"] = transitioned ? stamp : old!["lastTransitionTime"]?.DeepClone() ?? stamp,
            ["reason"] = value.Reason,
            ["message"] = value.Message,
        };
    }
}
