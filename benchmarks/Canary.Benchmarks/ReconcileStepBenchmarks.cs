using BenchmarkDotNet.Attributes;
using Canary.Analysis;
using Canary.Resilience;
using Canary.Engine;
using Canary.Model;
using Canary.Routing;
using Canary.State;
using Canary.Testing.Simulation;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Benchmarks;

/// <summary>
/// One reconcile step of a canary in the middle of its analysis, with in-memory ports: read the status, check
/// readiness, run two metric checks, advance the weight, save, and publish the events. The store answers the same
/// status every time, so each step does the same work.
/// </summary>
[MemoryDiagnoser]
public class ReconcileStepBenchmarks
{
    private ServiceProvider _withResilience = null!;
    private ServiceProvider _withoutResilience = null!;
    private CanaryEngine _engine = null!;
    private CanaryEngine _bareEngine = null!;
    private CanaryResource _canary = null!;

    [GlobalSetup]
    public void Setup()
    {
        _canary = BenchmarkCanaries.Create(0);
        _withResilience = Build(_canary, resilience: true);
        _withoutResilience = Build(_canary, resilience: false);
        _engine = _withResilience.GetRequiredService<CanaryEngine>();
        _bareEngine = _withoutResilience.GetRequiredService<CanaryEngine>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _withResilience.Dispose();
        _withoutResilience.Dispose();
    }

    [Benchmark(Baseline = true, Description = "step, Polly pipelines on every port")]
    public ValueTask<CanaryStatus> Step() => _engine.ReconcileAsync(_canary);

    [Benchmark(Description = "step, ports called directly")]
    public ValueTask<CanaryStatus> StepWithoutPipelines() => _bareEngine.ReconcileAsync(_canary);

    internal static ServiceProvider Build(CanaryResource canary, bool resilience)
    {
        // The system clock, as in production: Polly pools its timeout tokens only for it.
        var time = TimeProvider.System;
        var cluster = new SimulatedCluster(time);
        cluster.Deploy(canary.Id, "v2");
        cluster.ScaleUpCanaryAsync(canary, default).AsTask().GetAwaiter().GetResult();
        var status = CanaryStatus.New with
        {
            Phase = CanaryPhase.Progressing,
            Step = 3,
            CanaryWeight = 15,
            LastAppliedSpec = "v2",
            LastPromotedSpec = "v1",
        };

        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton<IWorkloadController>(cluster);
        services.AddSingleton<ITrafficRouter>(cluster);
        services.AddSingleton<IMetricProvider>(new ConstantMetricProvider());
        services.AddSingleton<ICanaryStatusStore>(new FixedStatusStore(status));
        if (!resilience)
        {
            services.AddSingleton(CanaryResiliencePipelines.None);
        }

        services.AddCanary();
        return services.BuildServiceProvider();
    }
}
