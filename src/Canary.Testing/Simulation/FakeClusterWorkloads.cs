using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Model;
using Canary.Routing;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Simulation;

/// <summary>
/// Lets <see cref="SimulatedTraffic"/> run against a <see cref="FakeKubernetesApiServer"/>: the workloads are the canary's
/// Deployments (the target, <c>target-primary</c> and, in baseline runs, <c>target-baseline</c>), each serving the simulated revision named by its pod template's
/// <see cref="RevisionAnnotation"/> with as many pods as its status reports ready; the routes come from the router in use.
/// </summary>
/// <param name="server">The fake API server whose Deployment controller simulator makes pods ready.</param>
/// <param name="routes">Reads the weights the router applies for a canary.</param>
public sealed class FakeClusterWorkloads(FakeKubernetesApiServer server, Func<CanaryId, TrafficRoutes> routes) : ISimulatedWorkloads
{
    /// <summary>The pod-template annotation that names the simulated revision (the key of <see cref="SimulatedTraffic.SetBehavior"/>) a Deployment runs.</summary>
    public const string RevisionAnnotation = "simulation.canary.dev/revision";

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The canary's target Deployment does not exist.</exception>
    public SimulatedWorkloads Inspect(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var id = canary.Id;
        var name = canary.Spec.TargetRef.Name;
        var target = server.GetObject("apps/v1", "Deployment", name, id.Namespace)
            ?? throw new InvalidOperationException($"Deployment {id.Namespace}/{name}, the target of canary {id}, does not exist in the fake cluster.");
        var primary = server.GetObject("apps/v1", "Deployment", name + "-primary", id.Namespace);
        var baseline = server.GetObject("apps/v1", "Deployment", name + "-baseline", id.Namespace);
        return new SimulatedWorkloads(
            Revision(target) ?? string.Empty,
            primary is null ? null : Revision(primary),
            primary is null ? 0 : ReadyReplicas(primary),
            ReadyReplicas(target),
            routes(id),
            0)
        {
            BaselineReplicas = baseline is null ? 0 : ReadyReplicas(baseline),
            BaselineRevision = baseline is null ? null : Revision(baseline),
        };
    }

    private static string? Revision(JsonObject deployment) =>
        deployment["spec"]?["template"]?["metadata"]?["annotations"]?[RevisionAnnotation] is JsonValue value && value.TryGetValue<string>(out var revision)
            ? revision
            : null;

    private static int ReadyReplicas(JsonObject deployment) =>
        deployment["status"]?["readyReplicas"] is JsonValue value ? int.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : 0;
}
