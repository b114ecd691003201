using System.Collections.Concurrent;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Testing.Simulation;

/// <summary>
/// Sends simulated requests to a cluster's workloads (a <see cref="SimulatedCluster"/>, or any <see cref="ISimulatedWorkloads"/>)
/// as its routes split them, and keeps
/// what each workload served over recent windows for the <see cref="SimulatedMetricProvider"/>. Each request fails
/// with its version's error rate and lasts its version's median latency with log-normal jitter, so the P99 follows it.
/// A running baseline takes as much of the users' traffic as the canary, out of the primary's share (at most half).
/// </summary>
public sealed class SimulatedTraffic
{
    private readonly ISimulatedWorkloads _cluster;
    private readonly TimeProvider _time;
    private readonly SimulatedTrafficOptions _options;
    private readonly ConcurrentDictionary<string, WorkloadBehavior> _behaviors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CanaryId, Ledger> _ledgers = new();

    /// <summary>Initializes a new instance of the <see cref="SimulatedTraffic"/> class.</summary>
    /// <param name="cluster">The cluster whose routes split the traffic.</param>
    /// <param name="timeProvider">The clock that stamps the traffic.</param>
    /// <param name="options">The traffic's shape, or <see langword="null"/> for the defaults.</param>
    public SimulatedTraffic(ISimulatedWorkloads cluster, TimeProvider timeProvider, SimulatedTrafficOptions? options = null)
    {
        _cluster = cluster;
        _time = timeProvider;
        _options = options ?? new SimulatedTrafficOptions();
    }

    /// <summary>Sets how a revision answers requests; revisions not set are <see cref="WorkloadBehavior.Healthy"/>.</summary>
    /// <param name="revision">The revision.</param>
    /// <param name="behavior">Its error rate and latency.</param>
    public void SetBehavior(string revision, WorkloadBehavior behavior) => _behaviors[revision] = behavior;

    /// <summary>Starts a load test against the canary's own Service, until the canary is scaled down.</summary>
    /// <param name="id">The canary.</param>
    public void StartLoadTest(CanaryId id) => GetLedger(id).LoadTestActive = true;

    /// <summary>Sends the requests of the next <paramref name="duration"/>, stamped as ending that long from now.</summary>
    /// <param name="canary">The canary whose users send them.</param>
    /// <param name="duration">How much traffic, in time.</param>
    public void Flow(CanaryResource canary, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var workloads = _cluster.Inspect(canary);
        var ledger = GetLedger(canary.Id);
        var primary = Behavior(workloads.PrimaryRevision ?? workloads.TargetRevision);
        var canaryBehavior = Behavior(workloads.TargetRevision);
        var chunk = new Chunk(_time.GetUtcNow() + duration);
        var routes = workloads.Routes;
        var canaryShare = canary.Spec.Analysis.Strategy == DeploymentStrategy.ABTesting && routes.CanaryWeight == 100
            ? _options.MatchingShare
            : routes.CanaryWeight / 100.0;
        var canaryRuns = workloads.CanaryReplicas > 0;
        var baselineShare = canaryRuns && workloads.BaselineReplicas > 0 ? Math.Min(canaryShare, 1 - canaryShare) : 0;
        var baselineBehavior = Behavior(workloads.BaselineRevision ?? workloads.PrimaryRevision ?? workloads.TargetRevision);

        lock (ledger)
        {
            var random = ledger.Random;
            var requests = (long)Math.Round(_options.RequestsPerSecond * duration.TotalSeconds);
            for (long i = 0; i < requests; i++)
            {
                var draw = canaryRuns ? random.NextDouble() : 1;
                if (draw < canaryShare)
                {
                    Serve(random, chunk.Canary, canaryBehavior);
                    continue;
                }

                if (draw < canaryShare + baselineShare)
                {
                    Serve(random, chunk.Baseline, baselineBehavior);
                    continue;
                }

                Serve(random, chunk.Primary, primary);
                if (canaryRuns && routes.Mirrored)
                {
                    Serve(random, chunk.Canary, canaryBehavior);
                }
            }

            ledger.LoadTestActive &= canaryRuns;
            if (ledger.LoadTestActive)
            {
                var testRequests = (long)Math.Round(_options.LoadTestRequestsPerSecond * duration.TotalSeconds);
                for (long i = 0; i < testRequests; i++)
                {
                    Serve(random, chunk.Canary, canaryBehavior);
                }
            }

            ledger.Add(chunk, _options.Retention);
        }
    }

    /// <summary>Sums what a workload served in the window that ends now.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="role">The workload.</param>
    /// <param name="window">How far back.</param>
    /// <returns>The requests in the window.</returns>
    public TrafficSample Window(CanaryId id, WorkloadRole role, TimeSpan window)
    {
        var ledger = GetLedger(id);
        var since = _time.GetUtcNow() - window;
        var sample = new TrafficSample();
        lock (ledger)
        {
            foreach (var chunk in ledger.Chunks)
            {
                if (chunk.End > since)
                {
                    sample.Add(role switch
                    {
                        WorkloadRole.Canary => chunk.Canary,
                        WorkloadRole.Baseline => chunk.Baseline,
                        _ => chunk.Primary,
                    });
                }
            }
        }

        return sample;
    }

    /// <summary>Returns every request served for a canary since the simulation began.</summary>
    /// <param name="id">The canary.</param>
    /// <returns>The totals.</returns>
    public TrafficTotals Totals(CanaryId id)
    {
        var ledger = GetLedger(id);
        lock (ledger)
        {
            return ledger.Totals;
        }
    }

    private WorkloadBehavior Behavior(string revision) => _behaviors.GetValueOrDefault(revision) ?? WorkloadBehavior.Healthy;

    private void Serve(Random random, TrafficSample sample, WorkloadBehavior behavior)
    {
        var failed = random.NextDouble() < behavior.ErrorRate;
        var gaussian = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
        var milliseconds = behavior.Latency.TotalMilliseconds * Math.Exp(_options.LatencyJitter * gaussian);
        sample.Record(failed, milliseconds);
    }

    private Ledger GetLedger(CanaryId id) =>
        _ledgers.GetOrAdd(id, static (key, seed) => new Ledger(new Random(seed ^ StableHash(key.ToString()))), _options.Seed);

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and a simulation must replay exactly.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private sealed class Chunk(DateTimeOffset end)
    {
        public DateTimeOffset End { get; } = end;

        public TrafficSample Primary { get; } = new();

        public TrafficSample Canary { get; } = new();

        public TrafficSample Baseline { get; } = new();
    }

    private sealed class Ledger(Random random)
    {
        public Random Random { get; } = random;

        public Queue<Chunk> Chunks { get; } = new();

        public bool LoadTestActive { get; set; }

        public TrafficTotals Totals { get; private set; }

        public void Add(Chunk chunk, TimeSpan retention)
        {
            Chunks.Enqueue(chunk);
            while (Chunks.Peek().End < chunk.End - retention)
            {
                Chunks.Dequeue();
            }

            Totals = new TrafficTotals(
                Totals.PrimaryRequests + chunk.Primary.Requests,
                Totals.PrimaryErrors + chunk.Primary.Errors,
                Totals.CanaryRequests + chunk.Canary.Requests,
                Totals.CanaryErrors + chunk.Canary.Errors)
            {
                BaselineRequests = Totals.BaselineRequests + chunk.Baseline.Requests,
                BaselineErrors = Totals.BaselineErrors + chunk.Baseline.Errors,
            };
        }
    }
}
