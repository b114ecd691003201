using Canary.Cli.Demo;
using Canary.Engine;
using Canary.Events;
using Canary.Model;
using Canary.Notifications;
using Canary.Testing.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// The demo's seam with the real engine, real traffic and the proxy's metrics, through stand-in adapters (replaced by
/// Canary.Kubernetes' workload controller and NGINX router when they land): a healthy v2 is promoted, a faulty v3 rolled back.
/// </summary>
public sealed class DemoEngineSeamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Engine_ThroughAddCanary_PromotesHealthyV2AndRollsBackFaultyV3()
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions());
        var events = new RecordingNotifier();
        var services = new ServiceCollection();
        services.AddSingleton<INotifier>(events);
        demo.AddCanary(services).AddWorkloadController<StandInWorkloads>().AddTrafficRouter<StandInNginxRouter>();
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<CanaryEngine>();
        var runner = provider.GetRequiredService<CanaryRunner>();
        var fast = demo.CreateCanary(fast: true);
        var canary = fast with { Spec = fast.Spec with { Analysis = fast.Spec.Analysis with { Interval = TimeSpan.FromSeconds(1) } } };
        using var timeout = new CancellationTokenSource(Timeout);

        // Initialization needs no waiting on the analysis interval: the simulator makes the primary ready at once.
        var phase = CanaryPhase.Initializing;
        for (var i = 0; i < 10 && phase != CanaryPhase.Initialized; i++)
        {
            phase = (await engine.ReconcileAsync(canary, timeout.Token)).Phase;
        }

        phase.Should().Be(CanaryPhase.Initialized);
        await demo.DeployAsync(DemoVersions.V2, timeout.Token);
        var promoted = await runner.RunAsync(canary, untilFinished: true, timeout.Token);
        await demo.Cluster.WaitUntilAsync(c => c.PodsOf("podinfo-primary") is { Count: 2 } pods && pods.All(p => p.Version == DemoVersions.V2), timeout.Token);

        await demo.DeployAsync(DemoVersions.V3, timeout.Token);
        var rolledBack = await runner.RunAsync(canary, untilFinished: true, timeout.Token);
        await demo.Cluster.WaitUntilAsync(c => c.PodsOf("podinfo").Count == 0, timeout.Token);
        var traffic = await demo.StopTrafficAsync();

        promoted!.Phase.Should().Be(CanaryPhase.Succeeded);
        rolledBack!.Phase.Should().Be(CanaryPhase.Failed);
        var afterPromotion = events.Events.SkipWhile(e => e.Type != CanaryEventType.Promoted).ToList();
        events.Events.TakeWhile(e => e.Type != CanaryEventType.Promoted).Should().NotContain(e => e.Type == CanaryEventType.CheckFailed, "v2 is healthy");
        afterPromotion.Where(e => e.Type == CanaryEventType.CheckFailed).Should().OnlyContain(e => e.Value.HasValue, "v3 fails on its measured values, not on missing data")
            .And.Subject.Select(e => e.Metric).Should().Contain(BuiltinMetrics.RequestSuccessRate);
        demo.Cluster.PodsOf("podinfo-primary").Should().OnlyContain(p => p.Version == DemoVersions.V2, "the faulty v3 never reached the primary");
        traffic.Answers(DemoVersions.V2).Should().BeGreaterThan(0);
        traffic.ByVersion.Should().ContainKey(DemoVersions.V3).WhoseValue.Failed.Should().BeGreaterThan(0);
        traffic.ByVersion.Keys.Should().BeSubsetOf([DemoVersions.V1, DemoVersions.V2, DemoVersions.V3]);
    }
}
