using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Canary.Benchmarks;

/// <summary>A whole simulated rollout of 10,000 canaries in one process (about 13 steps each), traffic included.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class RolloutBenchmarks : IDisposable
{
    private RolloutWorld? _world;

    [Params(10_000)]
    public int Canaries { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _world = new RolloutWorld(Canaries, requestsPerSecond: 1);
        _world.InitializeAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Cleanup() => Dispose();

    [Benchmark(Description = "roll out every canary to its end")]
    public int RolloutAll() => _world!.RolloutAsync().GetAwaiter().GetResult();

    /// <summary>Releases the world of the last iteration.</summary>
    public void Dispose()
    {
        _world?.Dispose();
        _world = null;
        GC.SuppressFinalize(this);
    }
}
