using System.Text.Json.Nodes;
using Canary.Model;
using Canary.Testing.Kubernetes;

namespace Canary.Cli.Commands;

/// <summary>
/// Prepares a fake cluster for a canary's traffic provider, as the provider's installation and the user would have: the
/// custom resource APIs it serves (Traefik, SMI, Gateway API) and the objects the spec refers to (the user's Ingress).
/// </summary>
internal static class ProviderObjects
{
    public static void Seed(FakeKubernetesApiServer server, CanaryResource canary)
    {
        var provider = TrafficProviders.BaseName(canary.Spec.Provider ?? TrafficProviders.Kubernetes);
        switch (provider)
        {
            case TrafficProviders.Nginx:
                SeedUserIngress(server, canary);
                break;
            case TrafficProviders.Traefik:
                server.RegisterCustomResource("traefik.io", "v1alpha1", "traefikservices", "TraefikService");
                server.RegisterCustomResource("traefik.io", "v1alpha1", "ingressroutes", "IngressRoute");
                break;
            case TrafficProviders.Smi or TrafficProviders.Linkerd:
                server.RegisterCustomResource("split.smi-spec.io", "v1alpha2", "trafficsplits", "TrafficSplit");
                break;
            case TrafficProviders.GatewayApi:
                server.RegisterCustomResource("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", hasStatusSubresource: true);
                server.RegisterCustomResource("gateway.networking.k8s.io", "v1beta1", "httproutes", "HTTPRoute", hasStatusSubresource: true);
                break;
        }
    }

    /// <summary>The Ingress that <c>spec.ingressRef</c> names, routing the spec's hosts to the apex Service, as ingress-nginx users write it.</summary>
    private static void SeedUserIngress(FakeKubernetesApiServer server, CanaryResource canary)
    {
        if (canary.Spec.IngressRef is not { } ingress)
        {
            return;
        }

        var service = canary.Spec.Service.Name ?? canary.Spec.TargetRef.Name;
        var hosts = canary.Spec.Service.Hosts.Count > 0 ? canary.Spec.Service.Hosts : [$"{service}.example.com"];
        var rules = new JsonArray();
        foreach (var host in hosts)
        {
            rules.Add(new JsonObject
            {
                ["host"] = host,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/",
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject
                        {
                            ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = Math.Max(1, canary.Spec.Service.Port) } },
                        },
                    }),
                },
            });
        }

        server.PutObject(new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = ingress.Name, ["namespace"] = canary.Id.Namespace },
            ["spec"] = new JsonObject { ["ingressClassName"] = "nginx", ["rules"] = rules },
        });
    }
}
