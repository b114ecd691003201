using System.Text.Json.Nodes;
using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using Canary.Testing.Kubernetes;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Integration;

/// <summary>Whole rollouts: the real engine with the Kubernetes workload controller and status store, against the fake API server.</summary>
public sealed class RolloutTests
{
    internal const string NewImage = "ghcr.io/stefanprodan/podinfo:6.0.1";

    [Fact]
    public async Task Rollout_HealthyRevision_IsPromoted()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await using var replica = await InitializedAsync(cluster, clock);
        var canary = TestObjects.Canary();

        await DeployAsync(cluster, replica, image: NewImage);
        var status = await RunUntilFinishedAsync(replica, clock, canary);

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        replica.Events.Where(e => e.Type == CanaryEventType.WeightAdvanced).Select(e => e.Weight).Should().Equal(25, 50);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(NewImage);
        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0);
        ConfigMapTrafficRouter.Read(cluster.Get("v1", "ConfigMap", "podinfo-traffic")).Should().Be(Canary.Routing.TrafficRoutes.PrimaryOnly);
        cluster.Get("canary.dev/v1", "Canary", TestObjects.Name)!["status"]!["phase"]!.GetValue<string>().Should().Be("Succeeded");
    }

    [Fact]
    public async Task Rollout_FailingMetric_IsRolledBack()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var metrics = new FixedMetricProvider(100);
        await using var replica = await InitializedAsync(cluster, clock, metrics);
        var canary = WithSuccessRateCheck(TestObjects.Canary());

        await DeployAsync(cluster, replica, image: NewImage);
        metrics.Value = 80;
        var status = await RunUntilFinishedAsync(replica, clock, canary);

        status.Phase.Should().Be(CanaryPhase.Failed);
        status.FailedChecks.Should().Be(2);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().NotBe(NewImage);
        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0);
        ConfigMapTrafficRouter.Read(cluster.Get("v1", "ConfigMap", "podinfo-traffic")).Should().Be(Canary.Routing.TrafficRoutes.PrimaryOnly);
        cluster.Get("canary.dev/v1", "Canary", TestObjects.Name)!["status"]!["phase"]!.GetValue<string>().Should().Be("Failed");
    }

    [Fact]
    public async Task Rollout_CanaryNeverReady_IsRolledBackAtTheProgressDeadline()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await using var replica = await InitializedAsync(cluster, clock);
        cluster.Server.DeploymentController.Configure(TestObjects.Name, DeploymentBehavior.Failing);

        await DeployAsync(cluster, replica, image: "ghcr.io/stefanprodan/podinfo:crashloop");
        var status = await RunUntilFinishedAsync(replica, clock, TestObjects.Canary());

        status.Phase.Should().Be(CanaryPhase.Failed);
        replica.Events.Should().Contain(e => e.Type == CanaryEventType.RollingBack && e.Message.Contains("progress deadline exceeded"));
        replica.Events.Should().NotContain(e => e.Type == CanaryEventType.WeightAdvanced);
        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0);
    }

    [Fact]
    public async Task Rollout_ConfigMapChangedOnly_RunsAndPromotesTheConfiguration()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        await using var replica = await InitializedAsync(cluster, clock, target: TestObjects.Deployment(configMap: "podinfo-config"));

        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "green")));
        replica.Cache.Invalidate(ResourceType.ConfigMaps, FakeCluster.Namespace, "podinfo-config");
        var status = await RunUntilFinishedAsync(replica, clock, TestObjects.Canary());

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        replica.Events.Should().Contain(e => e.Type == CanaryEventType.NewRevision);
        cluster.Get("v1", "ConfigMap", "podinfo-config-primary")!["data"]!["color"]!.GetValue<string>().Should().Be("green");
    }

    [Fact]
    public async Task Rollout_EngineReplacedHalfway_ResumesFromTheStoredStatusAndFinishes()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var canary = TestObjects.Canary();
        var first = await InitializedAsync(cluster, clock);
        await DeployAsync(cluster, first, image: NewImage);
        var halfway = await RunUntilAsync(first, clock, canary, s => s.CanaryWeight == 25);
        await first.DisposeAsync();

        await using var second = EngineReplica.Create(cluster, clock);
        clock.Advance(canary.Spec.Analysis.Interval);
        var resumed = await second.StepAsync(canary);
        var status = await RunUntilFinishedAsync(second, clock, canary);

        halfway.Phase.Should().Be(CanaryPhase.Progressing);
        resumed.Phase.Should().Be(CanaryPhase.Progressing);
        resumed.CanaryWeight.Should().Be(50, "the new engine continues from weight 25 instead of starting over");
        status.Phase.Should().Be(CanaryPhase.Succeeded);
        second.Events.Should().NotContain(e => e.Type == CanaryEventType.Initialized || e.Type == CanaryEventType.NewRevision);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(NewImage);
    }

    internal static CanaryResource WithSuccessRateCheck(CanaryResource canary) => canary with
    {
        Spec = canary.Spec with
        {
            Analysis = canary.Spec.Analysis with
            {
                Metrics = [new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new ThresholdRange { Min = 99 } }],
            },
        },
    };

    /// <summary>Seeds the target and the Canary object and runs an engine replica until the canary is initialized.</summary>
    internal static async Task<EngineReplica> InitializedAsync(FakeCluster cluster, ManualClock clock, FixedMetricProvider? metrics = null, JsonObject? target = null)
    {
        cluster.Seed(target ?? TestObjects.Deployment());
        cluster.Seed(TestObjects.CanaryObject());
        var replica = EngineReplica.Create(cluster, clock, metrics: metrics);
        var status = await RunUntilAsync(replica, clock, TestObjects.Canary(), s => s.Phase == CanaryPhase.Initialized);
        status.Phase.Should().Be(CanaryPhase.Initialized);
        return replica;
    }

    /// <summary>Changes the target's image as a user would with kubectl, and lets the replica's cache read it afresh.</summary>
    internal static async Task DeployAsync(FakeCluster cluster, EngineReplica replica, string image)
    {
        using var user = new KubernetesApiClient(cluster.Configuration, FakeCluster.ClientOptions("kubectl"));
        await user.PatchAsync(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name, KubernetesPatch.Json(new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template/spec/containers/0/image", ["value"] = image })));
        replica.Cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);
    }

    internal static Task<CanaryStatus> RunUntilFinishedAsync(EngineReplica replica, ManualClock clock, CanaryResource canary) =>
        RunUntilAsync(replica, clock, canary, s => s.IsFinished, advanceFirst: true);

    /// <summary>Steps the engine every analysis interval of the manual clock until the condition holds (at most 60 steps).</summary>
    internal static async Task<CanaryStatus> RunUntilAsync(EngineReplica replica, ManualClock clock, CanaryResource canary, Func<CanaryStatus, bool> done, bool advanceFirst = false)
    {
        if (advanceFirst)
        {
            clock.Advance(canary.Spec.Analysis.Interval);
        }

        var status = await replica.StepAsync(canary);
        for (var i = 0; i < 60 && !done(status); i++)
        {
            clock.Advance(canary.Spec.Analysis.Interval);
            status = await replica.StepAsync(canary);
        }

        return status;
    }
}
