using System.Globalization;
using System.Text;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using Xunit.Abstractions;
using FakeRequest = Canary.Testing.Kubernetes.RecordedRequest;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Integration;

/// <summary>What each reconcile step costs in API requests, read from the fake server's log (watches left out).</summary>
public sealed class RequestAccountingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Step_NothingChanged_MakesNoRequest()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await using var replica = await RolloutTests.InitializedAsync(cluster, clock);
        var canary = TestObjects.Canary();
        clock.Advance(canary.Spec.Analysis.Interval);
        await replica.StepAsync(canary);
        await CatchUpAsync(replica);
        var mark = cluster.Server.Requests.Count;

        clock.Advance(canary.Spec.Analysis.Interval);
        var status = await replica.StepAsync(canary);

        status.Phase.Should().Be(CanaryPhase.Initialized);
        cluster.RequestsSince(mark).Select(Describe).Should().BeEmpty("the revision, the readiness and the status all come from the informers");
    }

    [Fact]
    public async Task Step_AdvancingTheWeight_WritesTheRouteOnceAndNoWorkload()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        await using var replica = await RolloutTests.InitializedAsync(cluster, clock);
        var canary = TestObjects.Canary();
        await RolloutTests.DeployAsync(cluster, replica, RolloutTests.NewImage);
        var status = await RolloutTests.RunUntilAsync(replica, clock, canary, s => s.CanaryWeight == 25, advanceFirst: true);
        await CatchUpAsync(replica);
        var mark = cluster.Server.Requests.Count;

        clock.Advance(canary.Spec.Analysis.Interval);
        status = await replica.StepAsync(canary);

        status.CanaryWeight.Should().Be(50);
        var requests = cluster.RequestsSince(mark);
        requests.Where(r => r.Method == "GET").Select(Describe).Should().BeEmpty();
        requests.Where(FakeCluster.IsWrite).Select(Describe).Should().Equal(
            "PATCH configmaps/podinfo-traffic",
            "PATCH canaries/podinfo/status");
    }

    [Fact]
    public async Task Rollout_EveryStep_ReadsNothingTheInformersHoldUnlessItWroteItTheStepBefore()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.CanaryObject());
        await using var replica = EngineReplica.Create(cluster, clock);
        var canary = TestObjects.Canary();
        var table = new StringBuilder("| step | phase after | weight | GET | writes | requests |\n|---|---|---|---|---|---|\n");
        var previousWrites = new HashSet<string>();
        var deployed = false;
        for (var step = 1; step <= 30; step++)
        {
            await CatchUpAsync(replica);
            var mark = cluster.Server.Requests.Count;
            var status = await replica.StepAsync(canary);
            var requests = cluster.RequestsSince(mark).Where(r => r.UserAgent == replica.Identity).ToList();
            var gets = requests.Where(r => r.Method == "GET").Select(Describe).ToList();
            var writes = requests.Where(FakeCluster.IsWrite).Select(Describe).ToList();
            table.Append(CultureInfo.InvariantCulture, $"| {step} | {status.Phase} | {status.CanaryWeight} | {gets.Count} | {writes.Count} | {string.Join(", ", gets.Concat(writes))} |\n");

            // A step reads from the server only what it wrote the step before (a Deployment, whose status the deployment controller
            // moves right after each write), the first time it meets an object, or what a user just changed.
            var firstMeeting = step == 1;
            gets.Where(g => !firstMeeting && !previousWrites.Contains(g.Replace("GET ", "PATCH ", StringComparison.Ordinal)) && !previousWrites.Contains(g.Replace("GET ", "POST ", StringComparison.Ordinal)))
                .Should().BeEmpty($"step {step} must not read what the informers hold");
            previousWrites = writes.Select(w => w.Replace("/status", string.Empty, StringComparison.Ordinal)).ToHashSet();

            if (status.Phase == CanaryPhase.Initialized && !deployed)
            {
                deployed = true;
                await RolloutTests.DeployAsync(cluster, replica, RolloutTests.NewImage);
                previousWrites.Add("PATCH deployments/podinfo");
            }
            else if (status.Phase == CanaryPhase.Succeeded)
            {
                break;
            }

            clock.Advance(canary.Spec.Analysis.Interval);
        }

        output.WriteLine(table.ToString());
        replica.Events.Should().Contain(e => e.Type == Events.CanaryEventType.Promoted);
    }

    /// <summary>Waits until the informers hold every version this replica wrote, as they do long before the next interval.</summary>
    private static Task CatchUpAsync(EngineReplica replica) =>
        replica.Cache.WaitUntilCurrentAsync(readUnknown: false, new CancellationTokenSource(FakeCluster.Timeout).Token);

    private static string Describe(FakeRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "namespaces");
        var rest = at >= 0 ? string.Join('/', segments.Skip(at + 2)) : request.Path;
        return $"{request.Method} {rest}";
    }
}
