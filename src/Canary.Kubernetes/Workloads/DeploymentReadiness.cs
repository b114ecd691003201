using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Workloads;

namespace Canary.Kubernetes.Workloads;

/// <summary>
/// Judges a Deployment's rollout from its status, in the order of <c>kubectl rollout status</c> and Flagger: the new
/// generation observed, every replica updated, no old replica left, every updated replica available. Only a rollout the
/// deployment controller gave up on (<c>ProgressDeadlineExceeded</c>), or one short of minimum availability for longer than the
/// canary's progress deadline, has failed; anything else is still progressing.
/// </summary>
internal static class DeploymentReadiness
{
    public static WorkloadReadiness Evaluate(JsonObject deployment, TimeSpan progressDeadline, DateTimeOffset now)
    {
        var name = JsonTree.String(deployment["metadata"], "name") ?? "(unnamed)";
        var status = deployment["status"] as JsonObject;
        var generation = JsonTree.Integer(deployment["metadata"], "generation") ?? 0;
        var observed = JsonTree.Integer(status, "observedGeneration") ?? 0;
        if (generation > observed)
        {
            return WorkloadReadiness.Progressing("waiting for rollout to finish: observed deployment generation less than desired generation");
        }

        var conditions = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var progressing = conditions.FirstOrDefault(c => JsonTree.String(c, "type") == "Progressing");
        if (JsonTree.String(progressing, "reason") == "ProgressDeadlineExceeded")
        {
            return WorkloadReadiness.Failed($"deployment \"{name}\" exceeded its progress deadline");
        }

        // Counts of zero are omitted from status, so a missing count reads as zero.
        var desired = JsonTree.Integer(deployment["spec"], "replicas") ?? 1;
        var updated = JsonTree.Integer(status, "updatedReplicas") ?? 0;
        var replicas = JsonTree.Integer(status, "replicas") ?? 0;
        var available = JsonTree.Integer(status, "availableReplicas") ?? 0;
        string? waiting = null;
        if (desired == 0)
        {
            // Nothing to roll out, as Flagger judges it: a label-ratio router scales the canary to zero at a weight that
            // rounds down to no replica, and the run must go on to the next weight.
            return WorkloadReadiness.Ready;
        }

        if (updated < desired)
        {
            waiting = $"waiting for rollout to finish: {updated} out of {desired} new replicas have been updated";
        }
        else if (replicas > updated)
        {
            waiting = $"waiting for rollout to finish: {replicas - updated} old replicas are pending termination";
        }
        else if (available < updated)
        {
            waiting = $"waiting for rollout to finish: {available} of {updated} updated replicas are available";
        }

        if (waiting is null)
        {
            return WorkloadReadiness.Ready;
        }

        var availability = conditions.FirstOrDefault(c => JsonTree.String(c, "type") == "Available");
        if (desired > 0
            && JsonTree.String(availability, "status") == "False"
            && JsonTree.String(availability, "reason") == "MinimumReplicasUnavailable"
            && ParseTime(JsonTree.String(availability, "lastTransitionTime")) is { } since
            && now - since >= progressDeadline)
        {
            return WorkloadReadiness.Failed(
                $"deployment \"{name}\" has lacked minimum availability for longer than the progress deadline ({progressDeadline.TotalSeconds:0}s): {waiting}");
        }

        return WorkloadReadiness.Progressing(waiting);
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
