using System.Text;
using System.Text.Json.Nodes;
using Canary.Model;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>Objects to seed the fake cluster with, and the canary that rolls them out.</summary>
internal static class TestObjects
{
    public const string Name = "podinfo";

    public static CanaryResource Canary(
        Func<AnalysisSpec, AnalysisSpec>? analysis = null,
        AutoscalerReference? autoscaler = null,
        string? serviceName = null,
        TimeSpan? progressDeadline = null) =>
        new(new CanaryId(Name, FakeCluster.Namespace), new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", Name),
            AutoscalerRef = autoscaler,
            Service = new ServiceSpec { Name = serviceName, Port = 80, TargetPort = "9898" },
            ProgressDeadline = progressDeadline ?? TimeSpan.FromSeconds(60),
            Analysis = (analysis ?? (a => a))(new AnalysisSpec { Interval = TimeSpan.FromMinutes(1), StepWeight = 25, MaxWeight = 50, Threshold = 2 }),
        });

    /// <summary>The target Deployment: label <c>app: podinfo</c>, one container, optionally referencing a ConfigMap and a Secret.</summary>
    public static JsonObject Deployment(int replicas = 2, string image = "ghcr.io/stefanprodan/podinfo:6.0.0", string? configMap = null, string? secret = null)
    {
        var container = new JsonObject
        {
            ["name"] = "podinfod",
            ["image"] = image,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 9898 }),
        };
        var pod = new JsonObject { ["containers"] = new JsonArray(container) };
        if (configMap is not null)
        {
            container["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = configMap } });
        }

        if (secret is not null)
        {
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "creds", ["mountPath"] = "/creds" });
            pod["volumes"] = new JsonArray(new JsonObject { ["name"] = "creds", ["secret"] = new JsonObject { ["secretName"] = secret } });
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["namespace"] = FakeCluster.Namespace,
                ["labels"] = new JsonObject { ["app"] = Name, ["team"] = "web" },
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["progressDeadlineSeconds"] = 60,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = Name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = Name } },
                    ["spec"] = pod,
                },
            },
        };
    }

    public static JsonObject ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = FakeCluster.Namespace },
        ["data"] = Data(data, base64: false),
    };

    public static JsonObject Secret(string name, params (string Key, string Value)[] data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["type"] = "Opaque",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = FakeCluster.Namespace },
        ["data"] = Data(data, base64: true),
    };

    /// <summary>A Service of the user's own, selecting <paramref name="selectorValue"/> with its own port.</summary>
    public static JsonObject UserService(string name, string selectorValue) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = FakeCluster.Namespace, ["labels"] = new JsonObject { ["owner"] = "user" } },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["app"] = selectorValue },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "web", ["port"] = 8080, ["targetPort"] = 9898 }),
        },
    };

    public static JsonObject Autoscaler(string name, int min = 2, int max = 4) => new()
    {
        ["apiVersion"] = "autoscaling/v2",
        ["kind"] = "HorizontalPodAutoscaler",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = FakeCluster.Namespace },
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = Name },
            ["minReplicas"] = min,
            ["maxReplicas"] = max,
            ["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 } },
            }),
        },
    };

    /// <summary>The Canary custom resource (canary.dev/v1 unless told otherwise).</summary>
    public static JsonObject CanaryObject(string apiVersion = "canary.dev/v1") => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = FakeCluster.Namespace },
        ["spec"] = new JsonObject
        {
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = Name },
            ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 9898 },
        },
    };

    public static string Image(JsonObject? deployment) =>
        deployment?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? string.Empty;

    public static int? Replicas(JsonObject? deployment) => Number(deployment?["spec"]?["replicas"]) is { } replicas ? (int)replicas : null;

    public static long Generation(JsonObject? obj) => Number(obj?["metadata"]?["generation"]) ?? 0;

    /// <summary>A number however the node holds it (the fake server's own objects hold CLR ints or longs, parsed ones any).</summary>
    public static long? Number(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Data((string Key, string Value)[] data, bool base64)
    {
        var values = new JsonObject();
        foreach (var (key, value) in data)
        {
            values[key] = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) : value;
        }

        return values;
    }
}
