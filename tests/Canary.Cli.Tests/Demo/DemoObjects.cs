using System.Text.Json.Nodes;
using Canary.Cli.Demo;

namespace Canary.Cli.Tests.Demo;

/// <summary>Kubernetes objects for the demo tests, written by hand as a router or a user would write them.</summary>
internal static class DemoObjects
{
    public const string Namespace = "test";
    public const string Nginx = "nginx.ingress.kubernetes.io";

    public static JsonObject Deployment(string name, string version, int readyReplicas, string? appLabel = null) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["replicas"] = readyReplicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = appLabel ?? name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = appLabel ?? name, ["track"] = name.EndsWith("-primary", StringComparison.Ordinal) ? "stable" : "canary" } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "podinfo", ["image"] = DemoImage.For(version) }) },
            },
        },
        ["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = readyReplicas, ["readyReplicas"] = readyReplicas, ["availableReplicas"] = readyReplicas },
    };

    public static JsonObject Service(string name, params (string Key, string Value)[] selector) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["selector"] = Map(selector),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = 9898 }),
        },
    };

    public static JsonObject Ingress(string name, string service, string path = "/", string pathType = "Prefix", string host = "app.example.com", params (string Key, string Value)[] annotations) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "Ingress",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["annotations"] = Map(annotations.Select(a => ($"{Nginx}/{a.Key}", a.Value)).ToArray()) },
        ["spec"] = new JsonObject
        {
            ["ingressClassName"] = "nginx",
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = host,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = path,
                        ["pathType"] = pathType,
                        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = 80 } } },
                    }),
                },
            }),
        },
    };

    public static JsonObject TraefikService(string name, params (string Service, int? Weight)[] services) => new()
    {
        ["apiVersion"] = "traefik.io/v1alpha1",
        ["kind"] = "TraefikService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["weighted"] = new JsonObject
            {
                ["services"] = new JsonArray(services.Select(s =>
                {
                    var entry = new JsonObject { ["name"] = s.Service, ["port"] = 80 };
                    if (s.Weight is { } weight)
                    {
                        entry["weight"] = weight;
                    }

                    return (JsonNode)entry;
                }).ToArray()),
            },
        },
    };

    public static JsonObject TrafficSplit(string version, string name, string rootService, JsonArray? matches, params (string Service, JsonNode Weight)[] backends)
    {
        var spec = new JsonObject
        {
            ["service"] = rootService,
            ["backends"] = new JsonArray(backends.Select(b => (JsonNode)new JsonObject { ["service"] = b.Service, ["weight"] = b.Weight.DeepClone() }).ToArray()),
        };
        if (matches is not null)
        {
            spec["matches"] = matches;
        }

        return new JsonObject
        {
            ["apiVersion"] = $"split.smi-spec.io/{version}",
            ["kind"] = "TrafficSplit",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = spec,
        };
    }

    public static JsonObject HttpRoute(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "gateway.networking.k8s.io/v1",
        ["kind"] = "HTTPRoute",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = "public-gateway", ["namespace"] = "istio-ingress" }),
            ["hostnames"] = new JsonArray("app.example.com"),
            ["rules"] = new JsonArray(rules.Select(r => (JsonNode)r).ToArray()),
        },
    };

    public static JsonObject Rule(JsonArray? matches, params (string Service, int? Weight)[] backends)
    {
        var rule = new JsonObject
        {
            ["backendRefs"] = new JsonArray(backends.Select(b =>
            {
                var reference = new JsonObject { ["group"] = string.Empty, ["kind"] = "Service", ["name"] = b.Service, ["port"] = 80 };
                if (b.Weight is { } weight)
                {
                    reference["weight"] = weight;
                }

                return (JsonNode)reference;
            }).ToArray()),
        };
        if (matches is not null)
        {
            rule["matches"] = matches;
        }

        return rule;
    }

    private static JsonObject Map((string Key, string Value)[] pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }
}
