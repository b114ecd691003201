using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Notifications;
using Canary.Testing.Simulation;
using Microsoft.Extensions.DependencyInjection;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Integration;

/// <summary>
/// Whole rollouts with <c>analysis.baseline</c>: the real engine with <c>AddKubernetes()</c> (workload and baseline controllers) and the
/// label-ratio router, against the fake API server and its deployment controller.
/// </summary>
public sealed class BaselineRolloutTests
{
    private const string NewImage = "ghcr.io/stefanprodan/podinfo:6.0.1";
    private const string TrafficLabel = "canary.dev/traffic";

    [Fact]
    public async Task Rollout_WithBaseline_BaselineRunsTheStableVersionWithTheCanarysShareUntilPromotion()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await using var services = Compose(cluster, clock, new FixedMetricProvider(100), out var events);
        var stable = await InitializeAsync(cluster, services, clock);

        await DeployAsync(cluster, services);
        var observed = new List<(int Canary, int Baseline, string Image, bool Labelled)>();
        var status = await RunUntilAsync(services, clock, s => s.IsFinished, afterStep: () =>
        {
            if (cluster.Deployment("podinfo-baseline") is { } baseline)
            {
                observed.Add((
                    TestObjects.Replicas(cluster.Deployment(TestObjects.Name)) ?? -1,
                    TestObjects.Replicas(baseline) ?? -1,
                    TestObjects.Image(baseline),
                    baseline["spec"]!["template"]!["metadata"]!["labels"]![TrafficLabel] is not null));
            }
        });

        status.Phase.Should().Be(CanaryPhase.Succeeded);
        events.Events.Where(e => e.Type == CanaryEventType.WeightAdvanced).Select(e => e.Weight).Should().Equal(25, 33);
        observed.Should().OnlyContain(o => o.Canary == o.Baseline && o.Image == stable && o.Labelled, "the baseline runs the stable version beside the canary, pod for pod");
        observed.Select(o => o.Canary).Should().Equal([4, 2, 4], "4 replicas when the run starts, then 2 and 4 of each for 25% and 33% (50% asked)");
        cluster.Deployment("podinfo-baseline").Should().BeNull("the baseline is removed once the run is decided");
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(NewImage);
    }

    [Fact]
    public async Task Rollout_WithBaselineFailingMetric_IsRolledBackAndTheBaselineRemoved()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var metrics = new FixedMetricProvider(100);
        await using var services = Compose(cluster, clock, metrics, out _);
        var stable = await InitializeAsync(cluster, services, clock);

        await DeployAsync(cluster, services);
        metrics.Value = 80;
        var status = await RunUntilAsync(services, clock, s => s.IsFinished);

        status.Phase.Should().Be(CanaryPhase.Failed);
        cluster.Deployment("podinfo-baseline").Should().BeNull();
        TestObjects.Replicas(cluster.Deployment(TestObjects.Name)).Should().Be(0);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(stable);
    }

    private static CanaryResource Canary()
    {
        var canary = TestObjects.Canary(a => a with
        {
            Baseline = true,
            Metrics = [new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new ThresholdRange { Min = 99 } }],
        });
        return canary with { Spec = canary.Spec with { Provider = TrafficProviders.LabelRatio } };
    }

    private static ServiceProvider Compose(FakeCluster cluster, ManualClock clock, IMetricProvider metrics, out RecordingNotifier events)
    {
        var services = new ServiceCollection();
        events = new RecordingNotifier();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<INotifier>(events);
        services.AddSingleton(metrics);
        services.AddCanary().AddKubernetes(o =>
        {
            o.Configuration = cluster.Configuration;
            o.Client = FakeCluster.ClientOptions("canary-test");
        }).AddLabelRatioRouter();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Seeds the target (4 replicas) and the Canary object, and steps until the canary is initialized.</summary>
    /// <returns>The image the primary runs.</returns>
    private static async Task<string> InitializeAsync(FakeCluster cluster, ServiceProvider services, ManualClock clock)
    {
        cluster.Seed(TestObjects.Deployment(replicas: 4));
        cluster.Seed(TestObjects.CanaryObject());
        (await RunUntilAsync(services, clock, s => s.Phase == CanaryPhase.Initialized)).Phase.Should().Be(CanaryPhase.Initialized);
        return TestObjects.Image(cluster.Deployment("podinfo-primary"));
    }

    private static async Task DeployAsync(FakeCluster cluster, ServiceProvider services)
    {
        using var user = new KubernetesApiClient(cluster.Configuration, FakeCluster.ClientOptions("kubectl"));
        await user.PatchAsync(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name, KubernetesPatch.Json(new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template/spec/containers/0/image", ["value"] = NewImage })));
        services.GetRequiredService<KubernetesObjectCache>().Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);
    }

    /// <summary>Steps the engine every analysis interval until the condition holds (at most 60 steps).</summary>
    private static async Task<CanaryStatus> RunUntilAsync(ServiceProvider services, ManualClock clock, Func<CanaryStatus, bool> done, Action? afterStep = null)
    {
        var engine = services.GetRequiredService<CanaryEngine>();
        var canary = Canary();
        var status = await engine.ReconcileAsync(canary);
        afterStep?.Invoke();
        for (var i = 0; i < 60 && !done(status); i++)
        {
            clock.Advance(canary.Spec.Analysis.Interval);
            status = await engine.ReconcileAsync(canary);
            afterStep?.Invoke();
        }

        return status;
    }
}
