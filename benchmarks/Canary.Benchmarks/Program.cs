using BenchmarkDotNet.Running;
using Canary.Benchmarks;

// `retained [N]` measures CPU per step and memory kept per canary over a rollout of N canaries (default 10,000);
// anything else goes to BenchmarkDotNet (e.g. `--filter *ReconcileStep*`).
if (args is ["retained", ..])
{
    await RetainedMemory.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ReconcileStepBenchmarks).Assembly).Run(args);
