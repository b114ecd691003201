using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Testing.Kubernetes;
using Canary.Workloads;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Workloads;

public sealed class ReadinessTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetReadinessAsync_PrimaryRolledOut_IsReady()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);

        var readiness = await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Primary, default);

        readiness.Should().Be(WorkloadReadiness.Ready);
    }

    [Fact]
    public async Task GetReadinessAsync_CanaryScaledToZero_IsReadyAsFlaggerJudgesIt()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);

        var readiness = await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Canary, default);

        readiness.Should().Be(WorkloadReadiness.Ready);
    }

    [Fact]
    public async Task GetReadinessAsync_CanaryPodsComingUp_IsProgressingWithTheCounts()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, _) = cluster.Controller(clock);
        await controller.InitializeAsync(TestObjects.Canary(), default);
        cluster.Server.DeploymentController.Configure(TestObjects.Name, DeploymentBehavior.ReadyAfter(TimeSpan.FromSeconds(60)));
        cluster.Seed(TestObjects.Deployment(replicas: 2, image: "ghcr.io/stefanprodan/podinfo:6.0.1"));
        clock.Advance(TimeSpan.FromSeconds(30));
        cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);

        var readiness = await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Canary, default);

        readiness.Should().Be(WorkloadReadiness.Progressing("waiting for rollout to finish: 1 of 2 updated replicas are available"));
    }

    [Fact]
    public async Task GetReadinessAsync_CanaryPastItsProgressDeadline_HasFailed()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, _) = cluster.Controller(clock);
        await controller.InitializeAsync(TestObjects.Canary(), default);
        cluster.Server.DeploymentController.Configure(TestObjects.Name, DeploymentBehavior.Failing);
        await controller.ScaleUpCanaryAsync(TestObjects.Canary(), default);
        cluster.Seed(TestObjects.Deployment(image: "ghcr.io/stefanprodan/podinfo:broken"));
        clock.Advance(TimeSpan.FromSeconds(61));
        cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);

        var readiness = await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Canary, default);

        readiness.Should().Be(WorkloadReadiness.Failed("deployment \"podinfo\" exceeded its progress deadline"));
    }

    [Fact]
    public async Task GetReadinessAsync_PrimaryMissing_IsProgressing()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();

        var readiness = await controller.GetReadinessAsync(TestObjects.Canary(), WorkloadRole.Primary, default);

        readiness.Should().Be(WorkloadReadiness.Progressing("deployment \"podinfo-primary\" not found"));
    }

    [Fact]
    public void Evaluate_NewGenerationNotObserved_IsProgressing()
    {
        var deployment = Deployment(generation: 3, observed: 2, replicas: 2, updated: 2, total: 2, available: 2);

        DeploymentReadiness.Evaluate(deployment, TimeSpan.FromMinutes(10), Now).Should().Be(
            WorkloadReadiness.Progressing("waiting for rollout to finish: observed deployment generation less than desired generation"));
    }

    [Fact]
    public void Evaluate_NotAllReplicasUpdated_IsProgressing()
    {
        var deployment = Deployment(replicas: 3, updated: 1, total: 3, available: 3);

        DeploymentReadiness.Evaluate(deployment, TimeSpan.FromMinutes(10), Now).Should().Be(
            WorkloadReadiness.Progressing("waiting for rollout to finish: 1 out of 3 new replicas have been updated"));
    }

    [Fact]
    public void Evaluate_OldReplicasPendingTermination_IsProgressing()
    {
        var deployment = Deployment(replicas: 2, updated: 2, total: 3, available: 2);

        DeploymentReadiness.Evaluate(deployment, TimeSpan.FromMinutes(10), Now).Should().Be(
            WorkloadReadiness.Progressing("waiting for rollout to finish: 1 old replicas are pending termination"));
    }

    [Fact]
    public void Evaluate_ZeroCountsOmitted_ReadsThemAsZero()
    {
        var deployment = Deployment(replicas: 2, updated: null, total: null, available: null);

        DeploymentReadiness.Evaluate(deployment, TimeSpan.FromMinutes(10), Now).Should().Be(
            WorkloadReadiness.Progressing("waiting for rollout to finish: 0 out of 2 new replicas have been updated"));
    }

    [Fact]
    public void Evaluate_MinimumReplicasUnavailableLongerThanTheDeadline_HasFailed()
    {
        var deployment = Deployment(replicas: 2, updated: 2, total: 2, available: 0, availableSince: Now - TimeSpan.FromMinutes(11));

        var readiness = DeploymentReadiness.Evaluate(deployment, TimeSpan.FromMinutes(10), Now);

        readiness.State.Should().Be(WorkloadReadinessState.Failed);
        readiness.Reason.Should().Contain("lacked minimum availability for longer than the progress deadline (600s)");
    }

    [Fact]
    public void Evaluate_MinimumReplicasUnavailableWithinTheDeadline_IsProgressing()
    {
        var deployment = Deployment(replicas: 2, updated: 2, total: 2, available: 0, availableSince: Now - TimeSpan.FromMinutes(9));

        DeploymentReadiness.Evaluate(deployment, TimeSpan.FromMinutes(10), Now).State.Should().Be(WorkloadReadinessState.Progressing);
    }

    private static JsonObject Deployment(int replicas, int? updated, int? total, int? available, long generation = 1, long observed = 1, DateTimeOffset? availableSince = null)
    {
        var status = new JsonObject { ["observedGeneration"] = observed };
        foreach (var (field, value) in new[] { ("updatedReplicas", updated), ("replicas", total), ("availableReplicas", available) })
        {
            if (value is { } count)
            {
                status[field] = count;
            }
        }

        if (availableSince is { } since)
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = "False",
                ["reason"] = "MinimumReplicasUnavailable",
                ["lastTransitionTime"] = since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web", ["generation"] = generation },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
            ["status"] = status,
        };
    }
}
