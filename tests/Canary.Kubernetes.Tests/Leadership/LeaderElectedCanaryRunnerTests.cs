using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.Tests.Integration;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using Microsoft.Extensions.DependencyInjection;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Leadership;

public sealed class LeaderElectedCanaryRunnerTests
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    private static CanaryResource Canary => TestObjects.Canary(a => a with { Interval = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task TickAsync_TwoReplicas_OnlyTheLeaderWritesAndTheOtherFinishesTheRolloutWhenItStops()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.CanaryObject());
        await using var a = EngineReplica.Create(cluster, clock, "engine-a");
        await using var b = EngineReplica.Create(cluster, clock, "engine-b");

        // Both replicas tick every retry period; a ticks first and so wins the Lease. Halfway through the rollout, a stops dead.
        var deployed = false;
        CanaryStatus? last = null;
        for (var i = 0; i < 200 && last?.CanaryWeight != 25; i++)
        {
            last = await a.Runner.TickAsync(Canary) ?? last;
            (await b.Runner.TickAsync(Canary)).Should().BeNull("b never leads while a renews");
            if (last?.Phase == CanaryPhase.Initialized && !deployed)
            {
                deployed = true;
                await RolloutTests.DeployAsync(cluster, a, RolloutTests.NewImage);
                b.Cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);
            }

            clock.Advance(RetryPeriod);
        }

        last!.CanaryWeight.Should().Be(25);
        var stoppedAt = clock.GetUtcNow();
        var handover = cluster.Server.Requests.Count;
        DateTimeOffset? tookOver = null;
        for (var i = 0; i < 200 && last?.IsFinished != true; i++)
        {
            last = await b.Runner.TickAsync(Canary) ?? last;
            tookOver ??= b.Runner.Elector.IsLeader ? clock.GetUtcNow() : null;
            clock.Advance(RetryPeriod);
        }

        last!.Phase.Should().Be(CanaryPhase.Succeeded);
        (tookOver - stoppedAt).Should().BeLessThanOrEqualTo(LeaseDuration);
        var writes = cluster.Server.Requests.Select((r, index) => (r, index)).Where(x => FakeCluster.IsWrite(x.r) && x.r.UserAgent != "kubectl").ToList();
        writes.Where(x => x.index < handover).Should().OnlyContain(x => x.r.UserAgent == "engine-a");
        writes.Where(x => x.index >= handover).Should().OnlyContain(x => x.r.UserAgent == "engine-b");
        writes.Should().Contain(x => x.r.UserAgent == "engine-b" && x.r.Path.EndsWith("/status", StringComparison.Ordinal), "b wrote the rest of the rollout");
        b.Events.Should().NotContain(e => e.Type == CanaryEventType.Initialized || e.Type == CanaryEventType.NewRevision, "b resumed a's rollout");
        b.Events.Where(e => e.Type == CanaryEventType.WeightAdvanced).Select(e => e.Weight).Should().Equal(50);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(RolloutTests.NewImage);
    }

    [Fact]
    public async Task TickAsync_NotYetDue_RunsNoStepButKeepsTheLease()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.CanaryObject());
        await using var a = EngineReplica.Create(cluster, clock, "engine-a");
        (await a.Runner.TickAsync(Canary)).Should().NotBeNull();

        clock.Advance(RetryPeriod);
        var status = await a.Runner.TickAsync(Canary);

        status.Should().BeNull("the next step is due an analysis interval after the last");
        a.Runner.Elector.IsLeader.Should().BeTrue();
        cluster.Get("coordination.k8s.io/v1", "Lease", "canary-leader-election")!["spec"]!["renewTime"]!.GetValue<string>()
            .Should().Be("2000-01-01T00:00:02.000000Z");
    }

    [Fact]
    public async Task RunAsync_Leader_RunsTheRolloutToItsEnd()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await using var replica = await RolloutTests.InitializedAsync(cluster, clock);
        await RolloutTests.DeployAsync(cluster, replica, RolloutTests.NewImage);
        using var parking = new ParkingClock(clock);
        var runner = new LeaderElectedCanaryRunner(replica.Engine, replica.Services.GetRequiredService<LeaseLeaderElector>(), parking);
        using var stop = new CancellationTokenSource(FakeCluster.Timeout);

        var run = runner.RunAsync(Canary, untilFinished: true, stop.Token);
        for (var i = 0; i < 500 && await parking.WaitParkedAsync(run); i++)
        {
            clock.Advance(RetryPeriod);
        }

        (await run)!.Phase.Should().Be(CanaryPhase.Succeeded);
        TestObjects.Image(cluster.Deployment("podinfo-primary")).Should().Be(RolloutTests.NewImage);
    }

    [Fact]
    public async Task RunAsync_NeverLeader_StepsNothingAndStopsWhenCancelled()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.CanaryObject());
        await using var leader = EngineReplica.Create(cluster, clock, "engine-a");
        await leader.Runner.TickAsync(Canary);
        await using var follower = EngineReplica.Create(cluster, clock, "engine-b");
        using var parking = new ParkingClock(clock);
        var runner = new LeaderElectedCanaryRunner(follower.Engine, follower.Services.GetRequiredService<LeaseLeaderElector>(), parking);
        using var stop = new CancellationTokenSource();

        var run = runner.RunAsync(Canary, cancellationToken: stop.Token);
        await parking.WaitParkedAsync(run);
        await leader.Runner.TickAsync(Canary);
        clock.Advance(RetryPeriod);
        await parking.WaitParkedAsync(run);
        await stop.CancelAsync();

        (await run.WaitAsync(FakeCluster.Timeout)).Should().BeNull();
        follower.Events.Should().BeEmpty();
    }
}
