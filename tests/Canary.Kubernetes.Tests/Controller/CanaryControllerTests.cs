using System.Text.Json.Nodes;
using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Controller;

/// <summary>The controller against the fake API server: the real engine, workload controller, status store and Lease, on a manual clock.</summary>
public sealed class CanaryControllerTests
{
    private static readonly ResourceType Canaries = CanaryResourceTypes.Canary();

    [Fact]
    public async Task RunAsync_TwoCanaryObjects_DiscoversAndInitializesBoth()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        ControllerObjects.SeedApp(cluster, "backend");

        await using var replica = ControllerReplica.Start(cluster, clock);
        await replica.AdvanceUntilAsync(
            r => r.LastPhase("podinfo") == CanaryPhase.Initialized && r.LastPhase("backend") == CanaryPhase.Initialized, "both canaries initialized");

        replica.Controller.Canaries.Select(c => c.Id.Name).Should().Equal("backend", "podinfo");
        ControllerObjects.Phase(cluster, "podinfo").Should().Be("Initialized");
        ControllerObjects.Phase(cluster, "backend").Should().Be("Initialized");
        cluster.Deployment("backend-primary").Should().NotBeNull();
    }

    [Fact]
    public async Task RunAsync_CanaryOutsideTheListedOnes_IsNotRun()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        ControllerObjects.SeedApp(cluster, "backend");

        await using var replica = ControllerReplica.Start(cluster, clock, configure: o => o.Canaries.Add(new CanaryId("podinfo", FakeCluster.Namespace)));
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        replica.Steps.Should().OnlyContain(s => s.Canary.Id.Name == "podinfo");
        ControllerObjects.Phase(cluster, "backend").Should().BeNull();
    }

    [Fact]
    public async Task RunAsync_SpecChanged_StepsTheNewGenerationAtOnce()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        await using var replica = ControllerReplica.Start(cluster, clock);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");
        var before = replica.Steps.Count;
        var now = clock.GetUtcNow();

        using var kubectl = ControllerObjects.Kubectl(cluster);
        await kubectl.PatchAsync(Canaries, FakeCluster.Namespace, "podinfo", KubernetesPatch.Merge(new JsonObject
        {
            ["spec"] = new JsonObject { ["suspend"] = true, ["analysis"] = new JsonObject { ["stepWeight"] = 10 } },
        }));
        await replica.WaitUntilAsync(r => r.Steps.Skip(before).Any(s => s.Generation == 2), "a step of generation 2");

        var step = replica.Steps.Skip(before).First(s => s.Generation == 2);
        clock.GetUtcNow().Should().Be(now, "the new generation is stepped without waiting for the interval");
        step.Canary.Spec.Suspend.Should().BeTrue();
        step.Canary.Spec.Analysis.StepWeight.Should().Be(10);
        replica.Events.Should().Contain(e => e.Type == CanaryEventType.Suspended);
        replica.Controller.Canaries.Single().Spec.Suspend.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_CanaryDeleted_StopsItsLoopAndKeepsTheOthers()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        ControllerObjects.SeedApp(cluster, "backend");
        await using var replica = ControllerReplica.Start(cluster, clock);
        await replica.AdvanceUntilAsync(
            r => r.LastPhase("podinfo") == CanaryPhase.Initialized && r.LastPhase("backend") == CanaryPhase.Initialized, "both canaries initialized");

        using var kubectl = ControllerObjects.Kubectl(cluster);
        await kubectl.DeleteAsync(Canaries, FakeCluster.Namespace, "backend");
        await replica.WaitUntilAsync(r => r.Controller.Canaries.Count == 1, "the deleted canary's loop to stop");
        var deletedAt = replica.Steps.Count;
        await replica.AdvanceUntilAsync(r => r.Steps.Skip(deletedAt).Count(s => s.Canary.Id.Name == "podinfo") >= 2, "two more steps of podinfo");
        var settled = replica.Steps.Count;
        await replica.AdvanceUntilAsync(r => r.Steps.Skip(settled).Count(s => s.Canary.Id.Name == "podinfo") >= 3, "three more steps of podinfo");

        replica.Controller.Canaries.Select(c => c.Id.Name).Should().Equal("podinfo");
        replica.Steps.Skip(deletedAt).Count(s => s.Canary.Id.Name == "backend").Should().BeLessThanOrEqualTo(1, "at most the step in flight at the deletion ends");
        replica.Steps.Skip(settled).Should().OnlyContain(s => s.Canary.Id.Name == "podinfo");
    }

    [Fact]
    public async Task RunAsync_TwoReplicas_OnlyTheLeaderStepsAndWrites()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        await using var leader = ControllerReplica.Start(cluster, clock, "controller-a");
        await leader.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");
        await using var follower = ControllerReplica.Start(cluster, clock, "controller-b");

        await ControllerObjects.DeployAsync(cluster, leader, "podinfo");
        await leader.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Succeeded, "the rollout to succeed");

        follower.Steps.Should().BeEmpty();
        follower.Controller.Canaries.Should().BeEmpty();
        follower.Controller.Elector.Holder.Should().Be("controller-a");
        var writes = cluster.Server.Requests.Where(FakeCluster.IsWrite).Where(r => r.UserAgent != "kubectl").ToList();
        writes.Should().Contain(r => r.UserAgent == "controller-a" && r.Path.EndsWith("/canaries/podinfo/status", StringComparison.Ordinal));
        writes.Should().OnlyContain(r => r.UserAgent == "controller-a", "the follower only reads the Lease");
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReleasesTheLeaseAndStopsEveryLoop()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        var replica = ControllerReplica.Start(cluster, clock);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        await replica.StopAsync();
        var steps = replica.Steps.Count;
        clock.Advance(TimeSpan.FromMinutes(5));

        var lease = cluster.Get("coordination.k8s.io/v1", "Lease", "canary-controller")!;
        lease["spec"]!["holderIdentity"]!.GetValue<string>().Should().BeEmpty();
        replica.Controller.Canaries.Should().BeEmpty();
        replica.Steps.Should().HaveCount(steps);
        await replica.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_CancelledDuringAStep_LetsTheStepFinishThenReleasesTheLease()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var metrics = new GateMetricProvider();
        var replica = await InFlightAsync(cluster, clock, metrics);
        var before = replica.Steps.Count;

        var stopping = replica.StopAsync();
        await replica.WaitUntilAsync(r => r.Controller.Canaries.Count == 0, "the loops to be told to stop");
        stopping.IsCompleted.Should().BeFalse("the step in flight may finish");
        metrics.Release();
        await stopping;

        var finished = replica.Steps.Skip(before).Should().ContainSingle().Subject;
        finished.Status.Should().NotBeNull("the step ran to its end");
        finished.Status!.CanaryWeight.Should().Be(50);
        ControllerObjects.Phase(cluster, "podinfo").Should().Be("Progressing");
        cluster.Get("coordination.k8s.io/v1", "Lease", "canary-controller")!["spec"]!["holderIdentity"]!.GetValue<string>().Should().BeEmpty();
        await replica.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_StepOutlastsTheShutdownTimeout_CancelsItAndReleasesTheLease()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var metrics = new GateMetricProvider();
        var replica = await InFlightAsync(cluster, clock, metrics);
        var before = replica.Steps.Count;
        var weight = cluster.Get("canary.dev/v1", "Canary", "podinfo")!["status"]!["canaryWeight"]!.GetValue<int>();

        var stopping = replica.StopAsync();
        await replica.WaitUntilAsync(r => r.Controller.Canaries.Count == 0, "the loops to be told to stop");
        clock.Advance(TimeSpan.FromSeconds(31));
        await stopping;

        metrics.SawCancellation.Should().BeTrue();
        replica.Steps.Should().HaveCount(before, "a cancelled step reports nothing");
        cluster.Get("canary.dev/v1", "Canary", "podinfo")!["status"]!["canaryWeight"]!.GetValue<int>().Should().Be(weight, "the cancelled step saved nothing");
        cluster.Get("coordination.k8s.io/v1", "Lease", "canary-controller")!["spec"]!["holderIdentity"]!.GetValue<string>().Should().BeEmpty();
        await replica.DisposeAsync();
    }

    /// <summary>Runs a rollout with a metric check until a step waits at the gate, in its analysis at weight 25.</summary>
    private static async Task<ControllerReplica> InFlightAsync(FakeCluster cluster, ManualClock clock, GateMetricProvider metrics)
    {
        cluster.Seed(ControllerObjects.Deployment("podinfo"));
        var canary = ControllerObjects.Canary("podinfo");
        canary["spec"]!["analysis"]!["metrics"] = new JsonArray(new JsonObject
        {
            ["name"] = "request-success-rate",
            ["thresholdRange"] = new JsonObject { ["min"] = 99 },
        });
        cluster.Seed(canary);
        var replica = ControllerReplica.Start(cluster, clock, metrics: metrics);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");
        await ControllerObjects.DeployAsync(cluster, replica, "podinfo");
        await replica.AdvanceUntilAsync(r => r.Steps.LastOrDefault()?.Status?.CanaryWeight == 25, "weight 25");
        metrics.Block();
        clock.Advance(ControllerReplica.Interval);
        await metrics.Entered.WaitAsync(FakeCluster.Timeout);
        return replica;
    }

    [Fact]
    public async Task RunAsync_RestartedMidRollout_ResumesFromTheSavedStatus()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        var first = ControllerReplica.Start(cluster, clock, "controller-a");
        await first.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");
        await ControllerObjects.DeployAsync(cluster, first, "podinfo");
        await first.AdvanceUntilAsync(r => r.Steps.LastOrDefault()?.Status?.CanaryWeight == 25, "weight 25");
        await first.DisposeAsync();

        await using var second = ControllerReplica.Start(cluster, clock, "controller-b");
        await second.WaitUntilAsync(r => r.Steps.Count > 0, "the new replica's first step");
        await second.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Succeeded, "the rollout to succeed");

        second.Steps[0].Status!.CanaryWeight.Should().Be(50, "the new replica continues from weight 25 instead of starting over");
        second.Events.Should().NotContain(e => e.Type == CanaryEventType.Initialized || e.Type == CanaryEventType.NewRevision);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(ControllerObjects.NewImage);
        ControllerObjects.Phase(cluster, "podinfo").Should().Be("Succeeded");
    }

    [Fact]
    public async Task RunAsync_InvalidSpec_ReportsItOnTheObjectAndRunsTheOthers()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        cluster.Seed(ControllerObjects.Deployment("backend"));
        cluster.Seed(ControllerObjects.Canary("backend", stepWeight: 500));

        await using var replica = ControllerReplica.Start(cluster, clock);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized && r.Rejections.Count > 0, "podinfo initialized");

        var rejection = replica.Rejections.Should().ContainSingle().Subject;
        rejection.Id.Should().Be(new CanaryId("backend", FakeCluster.Namespace));
        rejection.Errors.Should().Contain(e => e.Path == "spec.analysis.stepWeight");
        replica.Steps.Should().NotContain(s => s.Canary.Id.Name == "backend");
        var condition = cluster.Get("canary.dev/v1", "Canary", "backend")!["status"]!["conditions"]!.AsArray().Single()!;
        condition["type"]!.GetValue<string>().Should().Be("Valid");
        condition["status"]!.GetValue<string>().Should().Be("False");
        condition["message"]!.GetValue<string>().Should().Contain("spec.analysis.stepWeight");
        var warning = cluster.Server.ListObjects("v1", "Event", FakeCluster.Namespace)
            .Should().ContainSingle(e => e["involvedObject"]!["name"]!.GetValue<string>() == "backend").Subject;
        warning["reason"]!.GetValue<string>().Should().Be("InvalidSpec");
        warning["type"]!.GetValue<string>().Should().Be("Warning");
    }

    [Fact]
    public async Task RunAsync_InvalidSpecFixed_RunsItAndClearsTheCondition()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(ControllerObjects.Deployment("podinfo"));
        cluster.Seed(ControllerObjects.Canary("podinfo", stepWeight: 500));
        await using var replica = ControllerReplica.Start(cluster, clock);
        await replica.WaitUntilAsync(r => r.Rejections.Count > 0, "the invalid spec to be rejected and reported");
        cluster.Get("canary.dev/v1", "Canary", "podinfo")!["status"]!["conditions"]!.AsArray().Should().ContainSingle();

        using var kubectl = ControllerObjects.Kubectl(cluster);
        await kubectl.PatchAsync(Canaries, FakeCluster.Namespace, "podinfo", KubernetesPatch.Merge(new JsonObject
        {
            ["spec"] = new JsonObject { ["analysis"] = new JsonObject { ["stepWeight"] = 25 } },
        }));
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        var conditions = cluster.Get("canary.dev/v1", "Canary", "podinfo")!["status"]!["conditions"]!.AsArray();
        conditions.Select(c => c!["type"]!.GetValue<string>()).Should().Equal("Promoted");
    }

    [Fact]
    public async Task RunAsync_FlaggerGroup_RunsFlaggerObjects()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo", apiVersion: "flagger.app/v1beta1");

        await using var replica = ControllerReplica.Start(cluster, clock, kubernetes: o =>
        {
            o.CanaryGroup = CanaryResourceTypes.FlaggerGroup;
            o.CanaryVersion = CanaryResourceTypes.FlaggerVersion;
        });
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        ControllerObjects.Phase(cluster, "podinfo", "flagger.app/v1beta1").Should().Be("Initialized");
    }

    [Fact]
    public async Task RunAsync_CheckWithATemplateRef_QueriesTheTemplateReadFromTheCluster()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Server.RegisterCustomResource(CanaryResourceTypes.DefaultGroup, CanaryResourceTypes.DefaultVersion, "metrictemplates", "MetricTemplate");
        cluster.Seed(new JsonObject
        {
            ["apiVersion"] = "canary.dev/v1",
            ["kind"] = "MetricTemplate",
            ["metadata"] = new JsonObject { ["name"] = "error-rate", ["namespace"] = FakeCluster.Namespace },
            ["spec"] = new JsonObject { ["provider"] = new JsonObject { ["type"] = "prometheus" }, ["query"] = "sum(rate(errors[1m]))" },
        });
        cluster.Seed(ControllerObjects.Deployment("podinfo"));
        var canary = ControllerObjects.Canary("podinfo");
        canary["spec"]!["analysis"]!["metrics"] = new JsonArray(new JsonObject
        {
            ["name"] = "error-rate",
            ["templateRef"] = new JsonObject { ["name"] = "error-rate" },
            ["thresholdRange"] = new JsonObject { ["max"] = 1 },
        });
        cluster.Seed(canary);
        var metrics = new TemplateRecordingProvider();
        await using var replica = ControllerReplica.Start(cluster, clock, metrics: metrics);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        await ControllerObjects.DeployAsync(cluster, replica, "podinfo");
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Succeeded, "the rollout to succeed");

        metrics.Queries.Should().NotBeEmpty().And.OnlyContain(q => q == "sum(rate(errors[1m]))");
    }

    [Fact]
    public async Task RunAsync_Rollout_RecordsTheEngineEventsOnTheCanaryObject()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");
        await using var replica = ControllerReplica.Start(cluster, clock);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        await ControllerObjects.DeployAsync(cluster, replica, "podinfo");
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Succeeded, "the rollout to succeed");

        var uid = cluster.Get("canary.dev/v1", "Canary", "podinfo")!["metadata"]!["uid"]!.GetValue<string>();
        var events = cluster.Server.ListObjects("v1", "Event", FakeCluster.Namespace)
            .OrderBy(e => e["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        events.Should().OnlyContain(e => e["involvedObject"]!["uid"]!.GetValue<string>() == uid && e["involvedObject"]!["kind"]!.GetValue<string>() == "Canary");
        events.Select(e => e["reason"]!.GetValue<string>()).Should().ContainInOrder(
            nameof(CanaryEventType.Initialized), nameof(CanaryEventType.NewRevision), nameof(CanaryEventType.WeightAdvanced), nameof(CanaryEventType.Promoted));
        events.Where(e => e["reason"]!.GetValue<string>() == nameof(CanaryEventType.WeightAdvanced)).Select(e => e["message"]!.GetValue<string>())
            .Should().Equal("Advance podinfo.test canary weight 25", "Advance podinfo.test canary weight 50");
        events.Should().HaveCount(replica.Events.Count);
    }

    [Fact]
    public async Task RunAsync_RecordEventsOff_WritesNoEvent()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        ControllerObjects.SeedApp(cluster, "podinfo");

        await using var replica = ControllerReplica.Start(cluster, clock, configure: o => o.RecordEvents = false);
        await replica.AdvanceUntilAsync(r => r.LastPhase("podinfo") == CanaryPhase.Initialized, "podinfo initialized");

        replica.Events.Should().NotBeEmpty();
        cluster.Server.ListObjects("v1", "Event", FakeCluster.Namespace).Should().BeEmpty();
    }

    private sealed class TemplateRecordingProvider : Canary.Analysis.IMetricProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string?> _queries = new();

        public string Name => "prometheus";

        public IReadOnlyCollection<string?> Queries => _queries;

        public ValueTask<Canary.Analysis.MetricResult> QueryAsync(Canary.Analysis.MetricQuery query, CancellationToken cancellationToken)
        {
            _queries.Enqueue(query.Template?.Query);
            return ValueTask.FromResult(new Canary.Analysis.MetricResult(0, 100));
        }
    }
}
