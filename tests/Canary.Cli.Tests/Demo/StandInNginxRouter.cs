using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// A bare-bones NGINX router over the Kubernetes API, standing in for Canary.Kubernetes' own until it lands: it clones the user's
/// Ingress as <c>INGRESS-canary</c> pointing at <c>SERVICE-canary</c> and sets its <c>canary-weight</c>.
/// </summary>
internal sealed class StandInNginxRouter(IKubernetesApi api) : ITrafficRouter
{
    private const string Prefix = "nginx.ingress.kubernetes.io";

    public string Provider => TrafficProviders.Nginx;

    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        try
        {
            await api.GetAsync(ResourceType.Ingresses, canary.Id.Namespace, CanaryIngress(canary), cancellationToken: cancellationToken);
            return;
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            // Created below.
        }

        var main = await api.GetAsync(ResourceType.Ingresses, canary.Id.Namespace, canary.Spec.IngressRef!.Name, cancellationToken: cancellationToken);
        var spec = (JsonObject)main["spec"]!.DeepClone();
        foreach (var path in spec["rules"]!.AsArray().SelectMany(rule => rule!["http"]!["paths"]!.AsArray()))
        {
            path!["backend"]!["service"]!["name"] = $"{canary.Spec.Service.Name ?? canary.Spec.TargetRef.Name}-canary";
        }

        await api.CreateAsync(ResourceType.Ingresses, canary.Id.Namespace, new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = new JsonObject
            {
                ["name"] = CanaryIngress(canary),
                ["namespace"] = canary.Id.Namespace,
                ["annotations"] = new JsonObject { [$"{Prefix}/canary"] = "true", [$"{Prefix}/canary-weight"] = "0" },
            },
            ["spec"] = spec,
        }, cancellationToken);
    }

    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ingress = await api.GetAsync(ResourceType.Ingresses, canary.Id.Namespace, CanaryIngress(canary), cancellationToken: cancellationToken);
        var weight = int.Parse(ingress["metadata"]!["annotations"]![$"{Prefix}/canary-weight"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        return TrafficRoutes.ForCanary(weight);
    }

    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [$"{Prefix}/canary-weight"] = routes.CanaryWeight.ToString(CultureInfo.InvariantCulture) } },
        };
        await api.PatchAsync(ResourceType.Ingresses, canary.Id.Namespace, CanaryIngress(canary), KubernetesPatch.Merge(patch), cancellationToken: cancellationToken);
        return routes;
    }

    private static string CanaryIngress(CanaryResource canary) => $"{canary.Spec.IngressRef!.Name}-canary";
}
