using Canary.Analysis;
using Canary.Model;
using Canary.Routing;
using Canary.Testing.Simulation;
using Canary.Testing.Time;
using Canary.Workloads;

namespace Canary.Testing.Tests.Simulation;

public class SimulatedBaselineTests
{
    private static readonly CanaryResource Canary = new(new CanaryId("checkout", "shop"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", "checkout"),
        Analysis = new AnalysisSpec { StepWeight = 10, Baseline = true },
    });

    [Fact]
    public async Task ScaleUpBaselineAsync_AfterInitialization_RunsThePrimaryRevisionAtTheCanarysScale()
    {
        var (cluster, _, _) = await InitializedAsync();
        cluster.Deploy(Canary.Id, "v2");

        await cluster.ScaleUpBaselineAsync(Canary, CancellationToken.None);

        var workloads = cluster.Inspect(Canary.Id);
        workloads.BaselineRevision.Should().Be("v1");
        workloads.BaselineReplicas.Should().Be(2);
        (await cluster.GetBaselineReadinessAsync(Canary, CancellationToken.None)).State.Should().Be(WorkloadReadinessState.Ready);
    }

    [Fact]
    public async Task ScaleDownBaselineAsync_RunningBaseline_RemovesIt()
    {
        var (cluster, _, _) = await InitializedAsync();
        await cluster.ScaleUpBaselineAsync(Canary, CancellationToken.None);

        await cluster.ScaleDownBaselineAsync(Canary, CancellationToken.None);

        cluster.Inspect(Canary.Id).BaselineReplicas.Should().Be(0);
        (await cluster.GetBaselineReadinessAsync(Canary, CancellationToken.None)).State.Should().Be(WorkloadReadinessState.Progressing);
    }

    [Fact]
    public async Task Flow_WithBaseline_GivesItAsMuchTrafficAsTheCanary()
    {
        var (cluster, traffic, time) = await InitializedAsync();
        cluster.Deploy(Canary.Id, "v2");
        await cluster.ScaleUpCanaryAsync(Canary, CancellationToken.None);
        await cluster.ScaleUpBaselineAsync(Canary, CancellationToken.None);
        await cluster.SetRoutesAsync(Canary, TrafficRoutes.ForCanary(20), CancellationToken.None);

        traffic.Flow(Canary, TimeSpan.FromMinutes(10));
        time.Advance(TimeSpan.FromMinutes(10));

        var totals = traffic.Totals(Canary.Id);
        var all = totals.PrimaryRequests + totals.CanaryRequests + totals.BaselineRequests;
        all.Should().Be(6000);
        totals.CanaryRequests.Should().BeInRange(1000, 1400);
        totals.BaselineRequests.Should().BeInRange(1000, 1400);
        traffic.Window(Canary.Id, WorkloadRole.Baseline, TimeSpan.FromMinutes(10)).Requests.Should().Be(totals.BaselineRequests);
    }

    [Fact]
    public async Task GetCountsAsync_Baseline_CountsWhatTheBaselineServed()
    {
        var (cluster, traffic, time) = await InitializedAsync(new WorkloadBehavior(0.5, TimeSpan.FromMilliseconds(20)));
        await cluster.ScaleUpCanaryAsync(Canary, CancellationToken.None);
        await cluster.ScaleUpBaselineAsync(Canary, CancellationToken.None);
        await cluster.SetRoutesAsync(Canary, TrafficRoutes.ForCanary(30), CancellationToken.None);
        traffic.Flow(Canary, TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(1));

        var counts = await new SimulatedTrafficSampleProvider(traffic).GetCountsAsync(Canary, WorkloadRole.Baseline, TimeSpan.FromMinutes(1), CancellationToken.None);

        var totals = traffic.Totals(Canary.Id);
        counts.Requests.Should().Be(totals.BaselineRequests).And.BeGreaterThan(0);
        counts.Errors.Should().Be(totals.BaselineErrors).And.BeGreaterThan(0);
        counts.LatencyBuckets[^1].Should().Be(new LatencyBucket(double.PositiveInfinity, counts.Requests));
    }

    private static async Task<(SimulatedCluster Cluster, SimulatedTraffic Traffic, ManualTimeProvider Time)> InitializedAsync(WorkloadBehavior? stable = null)
    {
        var time = new ManualTimeProvider();
        var cluster = new SimulatedCluster(time);
        var traffic = new SimulatedTraffic(cluster, time);
        if (stable is not null)
        {
            traffic.SetBehavior("v1", stable);
        }

        cluster.Deploy(Canary.Id, "v1");
        await cluster.InitializeAsync(Canary, CancellationToken.None);
        return (cluster, traffic, time);
    }
}
