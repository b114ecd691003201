using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// A bare-bones workload controller over the Kubernetes API, standing in for Canary.Kubernetes' own until it lands, so that the
/// demo's seam can be exercised with the real engine: <c>NAME-primary</c> is a copy of the target with its own labels.
/// </summary>
internal sealed class StandInWorkloads(IKubernetesApi api) : IWorkloadController
{
    public async ValueTask<bool> InitializeAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await GetAsync(canary, WorkloadRole.Canary, cancellationToken);
        var primary = await TryGetAsync(canary, WorkloadRole.Primary, cancellationToken);
        if (primary is null)
        {
            var name = PrimaryName(canary);
            var copy = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = canary.Id.Namespace },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = target["spec"]!["replicas"]!.DeepClone(),
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                    ["template"] = PrimaryTemplate(canary, target),
                },
            };
            await api.CreateAsync(ResourceType.Deployments, canary.Id.Namespace, copy, cancellationToken);
            return false;
        }

        if (!IsReady(primary))
        {
            return false;
        }

        await ScaleAsync(canary, WorkloadRole.Canary, 0, cancellationToken);
        return true;
    }

    public async ValueTask<string> GetRevisionAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await GetAsync(canary, WorkloadRole.Canary, cancellationToken);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(target["spec"]!["template"]!.ToJsonString())))[..16];
    }

    public async ValueTask<WorkloadReadiness> GetReadinessAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken) =>
        IsReady(await GetAsync(canary, role, cancellationToken)) ? WorkloadReadiness.Ready : WorkloadReadiness.Progressing("replicas not ready yet");

    public async ValueTask ScaleUpCanaryAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var primary = await GetAsync(canary, WorkloadRole.Primary, cancellationToken);
        await ScaleAsync(canary, WorkloadRole.Canary, primary["spec"]!["replicas"]!.GetValue<int>(), cancellationToken);
    }

    public ValueTask ScaleDownCanaryAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        new(ScaleAsync(canary, WorkloadRole.Canary, 0, cancellationToken));

    public async ValueTask PromoteAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await GetAsync(canary, WorkloadRole.Canary, cancellationToken);
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = PrimaryTemplate(canary, target) } };
        await api.PatchAsync(ResourceType.Deployments, canary.Id.Namespace, PrimaryName(canary), KubernetesPatch.Merge(patch), cancellationToken: cancellationToken);
    }

    private static string PrimaryName(CanaryResource canary) => $"{canary.Spec.TargetRef.Name}-primary";

    private static JsonObject PrimaryTemplate(CanaryResource canary, JsonObject target)
    {
        var template = (JsonObject)target["spec"]!["template"]!.DeepClone();
        template["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = PrimaryName(canary) } };
        return template;
    }

    private static bool IsReady(JsonObject deployment)
    {
        var generation = deployment["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var observed = deployment["status"]?["observedGeneration"]?.GetValue<long>() ?? 0;
        var wanted = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var ready = deployment["status"]?["readyReplicas"]?.GetValue<int>() ?? 0;
        return observed >= generation && ready >= wanted;
    }

    private async Task ScaleAsync(CanaryResource canary, WorkloadRole role, int replicas, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        await api.PatchAsync(ResourceType.Deployments, canary.Id.Namespace, NameOf(canary, role), KubernetesPatch.Merge(patch), cancellationToken: cancellationToken);
    }

    private async Task<JsonObject> GetAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken) =>
        await api.GetAsync(ResourceType.Deployments, canary.Id.Namespace, NameOf(canary, role), cancellationToken: cancellationToken);

    private async Task<JsonObject?> TryGetAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(canary, role, cancellationToken);
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private static string NameOf(CanaryResource canary, WorkloadRole role) => role == WorkloadRole.Primary ? PrimaryName(canary) : canary.Spec.TargetRef.Name;
}
