using System.Diagnostics;

namespace Canary.Benchmarks;

/// <summary>
/// Measures what the engine keeps per canary (its saved status) and the CPU per reconcile step over a whole rollout
/// of many canaries: numbers BenchmarkDotNet's allocation counts do not give.
/// </summary>
internal static class RetainedMemory
{
    public static async Task RunAsync(int canaries)
    {
        using var world = new RolloutWorld(canaries, requestsPerSecond: 1);
        await world.InitializeAsync();
        var before = Retained();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var promoted = await world.RolloutAsync();
        wall.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var after = Retained();
        GC.KeepAlive(world);

        Console.WriteLine($"canaries: {canaries}, promoted: {promoted}, reconcile steps: {world.Steps}");
        Console.WriteLine($"CPU per step (engine + simulated cluster and traffic): {cpu.TotalMicroseconds / world.Steps:0.0} µs; wall {wall.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"retained after the rollout minus before it, per canary: {(after - before) / (double)canaries:0} bytes");
        Console.WriteLine($"  per canary per step: {(after - before) / (double)world.Steps:0} bytes");
    }

    private static long Retained()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
