using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.Tests.TestSupport;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Leadership;

public sealed class LeaseLeaderElectorTests
{
    private const string LeaseName = "canary-leader-election";

    [Fact]
    public async Task TryAcquireOrRenewAsync_NoLease_CreatesItAndLeads()
    {
        var clock = new ManualClock(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        await using var cluster = await FakeCluster.StartAsync(clock);
        var elector = Elector(cluster, clock, "a");

        var leads = await elector.TryAcquireOrRenewAsync();

        leads.Should().BeTrue();
        elector.IsLeader.Should().BeTrue();
        Json.Of(Lease(cluster)["spec"]).Should().Be(Json.Of(new JsonObject
        {
            ["holderIdentity"] = "a",
            ["leaseDurationSeconds"] = 15,
            ["acquireTime"] = "2025-01-02T03:04:05.678000Z",
            ["renewTime"] = "2025-01-02T03:04:05.678000Z",
            ["leaseTransitions"] = 0,
        }));
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_HeldByAnotherWithinItsDuration_DoesNotLead()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await Elector(cluster, clock, "a").TryAcquireOrRenewAsync();
        var b = Elector(cluster, clock, "b");
        await b.TryAcquireOrRenewAsync();

        clock.Advance(TimeSpan.FromSeconds(14));
        var leads = await b.TryAcquireOrRenewAsync();

        leads.Should().BeFalse();
        b.IsLeader.Should().BeFalse();
        b.Holder.Should().Be("a");
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_HolderSilentForTheLeaseDuration_TakesOverAndCountsATransition()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await Elector(cluster, clock, "a").TryAcquireOrRenewAsync();
        var b = Elector(cluster, clock, "b");
        await b.TryAcquireOrRenewAsync();

        clock.Advance(TimeSpan.FromSeconds(15));
        var leads = await b.TryAcquireOrRenewAsync();

        leads.Should().BeTrue();
        var spec = Lease(cluster)["spec"]!;
        spec["holderIdentity"]!.GetValue<string>().Should().Be("b");
        TestObjects.Number(spec["leaseTransitions"]).Should().Be(1);
        spec["acquireTime"]!.GetValue<string>().Should().Be(spec["renewTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_ExpiryIsJudgedByTheCandidatesOwnObservation_NotTheRenewTime()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await Elector(cluster, clock, "a").TryAcquireOrRenewAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        var b = Elector(cluster, clock, "b");

        var leads = await b.TryAcquireOrRenewAsync();

        leads.Should().BeFalse("b has only just seen the lease, so it waits a full lease duration even though renewTime is old");
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_Renewal_KeepsAcquireTimeAndTransitions()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var a = Elector(cluster, clock, "a");
        await a.TryAcquireOrRenewAsync();
        var acquired = Lease(cluster)["spec"]!["acquireTime"]!.GetValue<string>();

        clock.Advance(TimeSpan.FromSeconds(2));
        await a.TryAcquireOrRenewAsync();

        var spec = Lease(cluster)["spec"]!;
        spec["acquireTime"]!.GetValue<string>().Should().Be(acquired);
        spec["renewTime"]!.GetValue<string>().Should().NotBe(acquired);
        TestObjects.Number(spec["leaseTransitions"]).Should().Be(0);
    }

    [Fact]
    public async Task IsLeader_NoRenewalForTheRenewDeadline_IsFalse()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var a = Elector(cluster, clock, "a");
        await a.TryAcquireOrRenewAsync();

        clock.Advance(TimeSpan.FromSeconds(10));

        a.IsLeader.Should().BeFalse("a leader that could not renew for the renew deadline stops acting before anyone may take over");
    }

    [Fact]
    public async Task ReleaseAsync_Leader_LetsAnotherCandidateTakeOverAtOnce()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var a = Elector(cluster, clock, "a");
        var b = Elector(cluster, clock, "b");
        await a.TryAcquireOrRenewAsync();
        await b.TryAcquireOrRenewAsync();

        await a.ReleaseAsync();
        var leads = await b.TryAcquireOrRenewAsync();

        a.IsLeader.Should().BeFalse();
        leads.Should().BeTrue();
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_TwoCandidatesAtOnce_ElectsExactlyOne()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        var candidates = Enumerable.Range(0, 4).Select(i => Elector(cluster, clock, $"c{i}")).ToList();

        var results = await Task.WhenAll(candidates.Select(c => c.TryAcquireOrRenewAsync()));

        results.Count(leads => leads).Should().Be(1);
        Lease(cluster)["spec"]!["holderIdentity"]!.GetValue<string>().Should().Be(candidates[Array.IndexOf(results, true)].Identity);
    }

    [Theory]
    [InlineData(15, 15, 2, "RenewDeadline: must be shorter than LeaseDuration")]
    [InlineData(15, 2, 2, "RenewDeadline: must be more than 1.2 times RetryPeriod")]
    [InlineData(0, 0, 0, "LeaseDuration: must be a whole number of seconds, at least 1 (the Lease stores seconds)")]
    public void Constructor_InvalidTiming_ThrowsNamingTheProperty(int lease, int renew, int retry, string error)
    {
        var options = new LeaseLeaderElectorOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(renew),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };
        using var client = new KubernetesApiClient(new() { Host = new Uri("http://127.0.0.1:1") });

        var act = () => new LeaseLeaderElector(client, options);

        act.Should().Throw<ArgumentException>().WithMessage($"*{error}*");
    }

    private static JsonObject Lease(FakeCluster cluster) => cluster.Get("coordination.k8s.io/v1", "Lease", LeaseName)!;

    private static LeaseLeaderElector Elector(FakeCluster cluster, TimeProvider clock, string identity) =>
        new(cluster.Client(identity), new LeaseLeaderElectorOptions { Identity = identity, LeaseNamespace = FakeCluster.Namespace }, clock);
}
