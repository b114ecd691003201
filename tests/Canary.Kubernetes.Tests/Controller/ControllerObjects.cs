using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Controller;

/// <summary>Named Deployments and Canary objects for controller tests, and the user's kubectl-like writes to them.</summary>
internal static class ControllerObjects
{
    public const string NewImage = "ghcr.io/stefanprodan/podinfo:6.0.1";

    public static JsonObject Deployment(string name)
    {
        var deployment = TestObjects.Deployment();
        deployment["metadata"]!["name"] = name;
        deployment["metadata"]!["labels"] = new JsonObject { ["app"] = name };
        deployment["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } };
        deployment["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } };
        return deployment;
    }

    /// <summary>A Canary object stepping by 25% up to 50% every minute, rolled back after 2 failed checks.</summary>
    public static JsonObject Canary(string name, string apiVersion = "canary.dev/v1", int stepWeight = 25) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = FakeCluster.Namespace },
        ["spec"] = new JsonObject
        {
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name },
            ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 9898 },
            ["analysis"] = new JsonObject { ["interval"] = "1m", ["threshold"] = 2, ["stepWeight"] = stepWeight, ["maxWeight"] = 50 },
        },
    };

    /// <summary>Seeds a Deployment and its Canary object.</summary>
    public static void SeedApp(FakeCluster cluster, string name, string apiVersion = "canary.dev/v1")
    {
        cluster.Seed(Deployment(name));
        cluster.Seed(Canary(name, apiVersion));
    }

    /// <summary>Changes a Deployment's image as a user would, and lets the replica's cache read it afresh.</summary>
    public static async Task DeployAsync(FakeCluster cluster, ControllerReplica replica, string name, string image = NewImage)
    {
        using var user = Kubectl(cluster);
        await user.PatchAsync(ResourceType.Deployments, FakeCluster.Namespace, name, KubernetesPatch.Json(new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template/spec/containers/0/image", ["value"] = image })));
        replica.Cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, name);
    }

    /// <summary>A client that writes as the user's kubectl does, so that its requests tell apart from the controllers'.</summary>
    public static KubernetesApiClient Kubectl(FakeCluster cluster) => new(cluster.Configuration, FakeCluster.ClientOptions("kubectl"));

    public static string? Phase(FakeCluster cluster, string name, string apiVersion = "canary.dev/v1") =>
        cluster.Get(apiVersion, "Canary", name)?["status"]?["phase"]?.GetValue<string>();
}
