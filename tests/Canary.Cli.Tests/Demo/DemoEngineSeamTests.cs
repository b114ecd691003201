using System.Collections.Concurrent;
using Canary.Cli.Demo;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// The demo end to end: the real engine with Canary.Kubernetes' workload controller, status store and routers, through
/// <see cref="DemoEnvironment.AddCanary"/>, on real traffic measured by the proxy: a healthy v2 is promoted, a faulty v3 rolled back.
/// </summary>
[Collection(LiveRollouts.Name)]
public sealed class DemoEngineSeamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    [InlineData("smi")]
    [InlineData("linkerd")]
    [InlineData("gatewayapi")]
    [InlineData("label-ratio")]
    [InlineData("kubernetes")]
    public async Task Rollouts_HealthyV2ThenFaultyV3_PromotesTheFirstAndRollsBackTheSecond(string provider)
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { Provider = provider });
        var events = new ConcurrentQueue<CanaryEvent>();
        var fast = demo.CreateCanary(fast: true);
        var canary = fast with { Spec = fast.Spec with { Analysis = fast.Spec.Analysis with { Interval = TimeSpan.FromSeconds(1) } } };
        await using var rollouts = new DemoRollouts(demo, canary, events.Enqueue);
        using var timeout = new CancellationTokenSource(Timeout);

        var initialized = await rollouts.InitializeAsync(timeout.Token);

        // Until the primary's pods serve, a router that already points at it gets 503s, as on a cluster; from then on, none.
        await WaitAsync(demo, c => c.PodsOf("podinfo-primary").Count == demo.Options.Replicas, "the primary runs its pods");
        var proxyAnswersBefore = ProxyAnswers(demo.UserTraffic);
        var promoted = await rollouts.RolloutAsync(DemoVersions.V2, timeout.Token);
        await WaitAsync(
            demo,
            c => c.PodsOf("podinfo-primary") is { Count: > 0 } pods && pods.Count == demo.Options.Replicas && pods.All(p => p.Version == DemoVersions.V2),
            $"the primary runs v2 on all its pods (the rollout ended {promoted?.Phase}: {string.Join(" | ", events.Select(e => e.Message))})");
        var rolledBack = await rollouts.RolloutAsync(DemoVersions.V3, timeout.Token);
        await WaitAsync(demo, c => c.PodsOf("podinfo").Count == 0, "the canary is scaled to zero");
        var traffic = await demo.StopTrafficAsync();

        initialized.Phase.Should().Be(CanaryPhase.Initialized);
        promoted!.Phase.Should().Be(CanaryPhase.Succeeded);
        rolledBack!.Phase.Should().Be(CanaryPhase.Failed);
        var all = events.ToList();
        all.TakeWhile(e => e.Type != CanaryEventType.Promoted).Should().NotContain(e => e.Type == CanaryEventType.CheckFailed, "v2 is healthy");
        all.SkipWhile(e => e.Type != CanaryEventType.Promoted).Where(e => e.Type == CanaryEventType.CheckFailed)
            .Should().NotBeEmpty().And.OnlyContain(e => e.Value.HasValue, "v3 fails on its measured values, not on missing data");
        demo.Cluster.PodsOf("podinfo-primary").Should().OnlyContain(p => p.Version == DemoVersions.V2, "the faulty v3 never reached the primary");
        traffic.Answers(DemoVersions.V2).Should().BeGreaterThan(0);

        // The canary's failures, from the users or (for kubernetes, which never splits) from the load tester.
        Exposition.Parse(demo.Proxy.Metrics.Exposition()).Named("response_total")
            .Where(s => s["deployment"] == "podinfo" && s["classification"] == "failure").Sum(s => s.Value).Should().BeGreaterThan(0);
        traffic.ByVersion.Keys.Where(v => v.Length > 0).Should().BeSubsetOf([DemoVersions.V1, DemoVersions.V2, DemoVersions.V3]);
        ProxyAnswers(traffic).Should().Be(proxyAnswersBefore, "once initialized, every request is answered by a pod: {0}", string.Join(", ", traffic.ByStatus.Select(p => $"{p.Key}: {p.Value}")));
    }

    private static long ProxyAnswers(LoadReport traffic) => traffic.ByVersion.TryGetValue(string.Empty, out var count) ? count.Total : 0;

    /// <summary>Waits for the pods to settle, and says where they are if they do not within ten seconds.</summary>
    private static async Task WaitAsync(DemoEnvironment demo, Func<DemoCluster, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await demo.Cluster.WaitUntilAsync(condition, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var pods = string.Join(", ", demo.Cluster.Pods.Select(p => $"{p.Name} ({p.Version})"));
            var deployments = string.Join("; ", demo.ApiServer.ListObjects("apps/v1", "Deployment", "test")
                .Select(d => $"{d["metadata"]!["name"]}: replicas {d["spec"]!["replicas"]}, status {d["status"]?.ToJsonString()}, image {d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]}"));
            throw new TimeoutException($"Waited in vain until {what}. Pods: {pods}. Deployments: {deployments}");
        }
    }
}
