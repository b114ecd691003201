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
        await MeasureSteadyStepAsync(resilience: true);
        await MeasureSteadyStepAsync(resilience: false);

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

    /// <summary>Process CPU time (not wall time, so other load on the machine matters less) of one analysis step, engine only.</summary>
    private static async Task MeasureSteadyStepAsync(bool resilience)
    {
        const int Steps = 200_000;
        var canary = BenchmarkCanaries.Create(0);
        using var services = ReconcileStepBenchmarks.Build(canary, resilience);
        var engine = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Canary.Engine.CanaryEngine>(services);
        for (var i = 0; i < 10_000; i++)
        {
            await engine.ReconcileAsync(canary);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < Steps; i++)
        {
            await engine.ReconcileAsync(canary);
        }

        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine($"steady analysis step, {(resilience ? "Polly pipelines on every port" : "ports called directly")}: {cpu.TotalMicroseconds / Steps:0.0} µs CPU, {allocated / Steps} bytes allocated");
    }

    private static long Retained()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
