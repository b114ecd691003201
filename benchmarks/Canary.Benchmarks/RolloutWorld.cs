using Canary.Analysis;
using Canary.Engine;
using Canary.Model;
using Canary.Routing;
using Canary.State;
using Canary.Testing.Simulation;
using Canary.Testing.Time;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Benchmarks;

/// <summary>
/// Many canaries in one process, one engine: each is initialized, given a new revision, and stepped every
/// interval (simulated traffic flowing between steps) until every rollout has ended.
/// </summary>
internal sealed class RolloutWorld : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ManualTimeProvider _time = new();
    private readonly SimulatedCluster _cluster;
    private readonly SimulatedTraffic _traffic;

    public RolloutWorld(int canaries, double requestsPerSecond)
    {
        _cluster = new SimulatedCluster(_time);
        _traffic = new SimulatedTraffic(_cluster, _time, new SimulatedTrafficOptions { RequestsPerSecond = requestsPerSecond, Retention = TimeSpan.FromMinutes(2) });
        Canaries = Enumerable.Range(0, canaries).Select(BenchmarkCanaries.Create).ToArray();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IWorkloadController>(_cluster);
        services.AddSingleton<ITrafficRouter>(_cluster);
        services.AddSingleton<IMetricProvider>(new SimulatedMetricProvider(_traffic));
        services.AddSingleton<ICanaryStatusStore>(Store);
        services.AddCanary(o => o.PublishPassedChecks = false);
        _services = services.BuildServiceProvider();
        Engine = _services.GetRequiredService<CanaryEngine>();
    }

    public CanaryResource[] Canaries { get; }

    public CanaryEngine Engine { get; }

    public InMemoryCanaryStatusStore Store { get; } = new();

    public int Steps { get; private set; }

    public async Task InitializeAsync()
    {
        foreach (var canary in Canaries)
        {
            _cluster.Deploy(canary.Id, CanarySimulation.StableRevision);
            await Engine.ReconcileAsync(canary);
            _cluster.Deploy(canary.Id, CanarySimulation.NewRevision);
        }
    }

    /// <summary>Steps every canary until all rollouts have ended; returns how many ended promoted.</summary>
    public async Task<int> RolloutAsync()
    {
        var interval = Canaries[0].Spec.Analysis.Interval;
        var finished = new bool[Canaries.Length];
        var promoted = 0;
        for (var remaining = Canaries.Length; remaining > 0;)
        {
            _time.Advance(interval);
            for (var i = 0; i < Canaries.Length; i++)
            {
                if (finished[i])
                {
                    continue;
                }

                _traffic.Flow(Canaries[i], interval);
                var status = await Engine.ReconcileAsync(Canaries[i]);
                Steps++;
                if (status.IsFinished && status.LastAppliedSpec == CanarySimulation.NewRevision)
                {
                    finished[i] = true;
                    remaining--;
                    promoted += status.Phase == CanaryPhase.Succeeded ? 1 : 0;
                }
            }
        }

        return promoted;
    }

    public void Dispose() => _services.Dispose();
}
