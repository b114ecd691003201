using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Workloads;

namespace Canary.Kubernetes.Tests.Workloads;

/// <summary>Scale, promote and roll back: the calls of a rollout after initialization.</summary>
public sealed class LifecycleTests
{
    private const string NewImage = "ghcr.io/stefanprodan/podinfo:6.0.1";

    [Fact]
    public async Task ScaleUpCanaryAsync_TargetAtZero_ScalesItToThePrimarysReplicasWithAMergePatch()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(replicas: 3));
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        var mark = cluster.Server.Requests.Count;

        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);

        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(3);
        var writes = cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).ToList();
        writes.Should().ContainSingle();
        writes[0].Method.Should().Be("PATCH");
        writes[0].ContentType.Should().StartWith("application/merge-patch+json");
        writes[0].Query.Should().Contain("fieldManager=canary");
    }

    [Fact]
    public async Task ScaleUpCanaryAsync_AlreadyAtScale_WritesNothing()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(replicas: 3));
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);
        var mark = cluster.Server.Requests.Count;

        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);

        cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).Should().BeEmpty();
    }

    [Fact]
    public async Task ScaleUpCanaryAsync_ScaledUp_BecomesReady()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);

        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);

        (await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Canary, default)).Should().Be(WorkloadReadiness.Ready);
    }

    [Fact]
    public async Task ScaleDownCanaryAsync_Running_ScalesToZero()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);

        await controller.ScaleDownCanaryAsync(TestObjects.Canary(), default);

        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0);
    }

    [Fact]
    public async Task PromoteAsync_NewTemplate_PatchesThePrimarysTemplateAndRollsItOut()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        await DeployAsync(cluster, cache, TestObjects.Deployment(replicas: 0, image: NewImage));
        var revision = await controller.GetRevisionAsync(TestObjects.Canary(), default);
        var mark = cluster.Server.Requests.Count;

        await controller.PromoteAsync(TestObjects.Canary(), default);

        var primary = cluster.Deployment("podinfo-primary")!;
        TestObjects.Image(primary).Should().Be(NewImage);
        primary["spec"]!["template"]!["metadata"]!["annotations"]![CanaryLabels.Revision]!.GetValue<string>().Should().Be(revision);
        primary["spec"]!["template"]!["metadata"]!["labels"]!["app"]!.GetValue<string>().Should().Be("podinfo-primary");
        cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).Select(r => $"{r.Method} {r.Path}")
            .Should().Equal("PATCH /apis/apps/v1/namespaces/test/deployments/podinfo-primary");
        (await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Primary, default)).Should().Be(WorkloadReadiness.Ready);
    }

    [Fact]
    public async Task PromoteAsync_FieldsWrittenByOthers_Survive()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, client) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        await client.PatchAsync(ResourceType.Deployments, FakeCluster.Namespace, "podinfo-primary", KubernetesPatch.Merge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["team.example/owner"] = "web" } },
            ["spec"] = new JsonObject { ["revisionHistoryLimit"] = 3, ["minReadySeconds"] = 5 },
        }));
        await DeployAsync(cluster, cache, TestObjects.Deployment(replicas: 0, image: NewImage));

        await controller.PromoteAsync(TestObjects.Canary(), default);

        var primary = cluster.Deployment("podinfo-primary")!;
        TestObjects.Image(primary).Should().Be(NewImage);
        primary["metadata"]!["annotations"]!["team.example/owner"]!.GetValue<string>().Should().Be("web");
        primary["spec"]!["revisionHistoryLimit"]!.GetValue<int>().Should().Be(3);
        primary["spec"]!["minReadySeconds"]!.GetValue<int>().Should().Be(5);
        cluster.Server.Requests.Should().NotContain(r => r.Method == "PUT");
    }

    [Fact]
    public async Task PromoteAsync_OnlyTheConfigMapChanged_UpdatesTheCopyAndRollsThePrimary()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        var (controller, cache, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        var generation = TestObjects.Generation(cluster.Deployment("podinfo-primary"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "green")));
        cache.Invalidate(ResourceType.ConfigMaps, FakeCluster.Namespace, "podinfo-config");

        await controller.PromoteAsync(TestObjects.Canary(), default);

        cluster.Get("v1", "ConfigMap", "podinfo-config-primary")!["data"]!["color"]!.GetValue<string>().Should().Be("green");
        TestObjects.Generation(cluster.Deployment("podinfo-primary")).Should().BeGreaterThan(generation,
            "a new revision annotation on the pod template makes the primary's pods pick up the new configuration");
    }

    [Fact]
    public async Task PromoteAsync_PrimaryAlreadyRunsTheRevision_WritesNothing()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        var mark = cluster.Server.Requests.Count;

        await controller.PromoteAsync(TestObjects.Canary(), default);

        cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).Should().BeEmpty();
    }

    [Fact]
    public async Task PromoteAsync_AutoscalerChanged_UpdatesThePrimaryAutoscaler()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.Autoscaler("podinfo", min: 2, max: 4));
        var (controller, cache, _) = cluster.Controller();
        var canary = TestObjects.Canary(autoscaler: new("autoscaling/v2", "HorizontalPodAutoscaler", "podinfo"));
        await controller.InitializeAsync(canary, default);
        cluster.Seed(TestObjects.Autoscaler("podinfo", min: 3, max: 6));
        cache.Invalidate(ResourceType.HorizontalPodAutoscalers, FakeCluster.Namespace, "podinfo");

        await controller.PromoteAsync(canary, default);

        var primary = cluster.Get("autoscaling/v2", "HorizontalPodAutoscaler", "podinfo-primary")!;
        primary["spec"]!["minReplicas"]!.GetValue<int>().Should().Be(3);
        primary["spec"]!["maxReplicas"]!.GetValue<int>().Should().Be(6);
        primary["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>().Should().Be("podinfo-primary");
    }

    [Fact]
    public async Task ScaleDownCanaryAsync_RollingBackANewRevision_LeavesThePrimaryOnTheOldOne()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        var stable = TestObjects.Image(cluster.Deployment("podinfo-primary"));
        await DeployAsync(cluster, cache, TestObjects.Deployment(replicas: 0, image: NewImage));
        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);

        await controller.ScaleDownCanaryAsync(TestObjects.Canary(), default);

        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0);
        TestObjects.Image(cluster.Deployment("podinfo")).Should().Be(NewImage, "the user's revision stays in the target for a later retry");
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(stable);
        (await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Primary, default)).Should().Be(WorkloadReadiness.Ready);
    }

    /// <summary>Deploys a new revision to the target as a user would, and has the controller read it afresh.</summary>
    private static Task DeployAsync(FakeCluster cluster, KubernetesObjectCache cache, JsonObject target)
    {
        cluster.Seed(target);
        cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);
        return Task.CompletedTask;
    }
}
