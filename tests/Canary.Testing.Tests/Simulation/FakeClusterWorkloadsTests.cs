using System.Text.Json.Nodes;
using Canary.Model;
using Canary.Routing;
using Canary.Testing.Kubernetes;
using Canary.Testing.Simulation;

namespace Canary.Testing.Tests.Simulation;

public class FakeClusterWorkloadsTests
{
    private static readonly CanaryResource Canary = new(new CanaryId("web", "default"), new CanarySpec { TargetRef = new ObjectReference("apps/v1", "Deployment", "app") });

    [Fact]
    public async Task Inspect_TargetAndPrimary_ReadsTheirRevisionsReadyPodsAndTheRoutes()
    {
        await using var server = new FakeKubernetesApiServer();
        server.PutObject(Deployment("app", "v2", replicas: 3));
        server.PutObject(Deployment("app-primary", "v1", replicas: 2));
        var workloads = new FakeClusterWorkloads(server, id => id == Canary.Id ? TrafficRoutes.ForCanary(20) : TrafficRoutes.PrimaryOnly);

        var seen = workloads.Inspect(Canary);

        seen.Should().Be(new SimulatedWorkloads("v2", "v1", 2, 3, TrafficRoutes.ForCanary(20), 0));
    }

    [Fact]
    public async Task Inspect_NoPrimaryYet_HasNoPrimaryRevisionNorPods()
    {
        await using var server = new FakeKubernetesApiServer();
        server.PutObject(Deployment("app", "v1", replicas: 2));

        var seen = new FakeClusterWorkloads(server, _ => TrafficRoutes.PrimaryOnly).Inspect(Canary);

        seen.PrimaryRevision.Should().BeNull();
        seen.PrimaryReplicas.Should().Be(0);
        seen.CanaryReplicas.Should().Be(2);
    }

    [Fact]
    public async Task Inspect_NoTarget_ThrowsNamingIt()
    {
        await using var server = new FakeKubernetesApiServer();

        var act = () => new FakeClusterWorkloads(server, _ => TrafficRoutes.PrimaryOnly).Inspect(Canary);

        act.Should().Throw<InvalidOperationException>().WithMessage("Deployment default/app, the target of canary web.default, does not exist in the fake cluster.");
    }

    private static JsonObject Deployment(string name, string revision, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject { ["app"] = name },
                    ["annotations"] = new JsonObject { [FakeClusterWorkloads.RevisionAnnotation] = revision },
                },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:" + revision }) },
            },
        },
    };
}
