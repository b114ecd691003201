using BenchmarkDotNet.Running;
using Canary.Benchmarks;
using Canary.Benchmarks.Detection;

// `retained [N]` measures CPU per step and memory kept per canary over a rollout of N canaries (default 10,000);
// `detection [--rollouts N] [--rps R]` compares how fast Flagger's fixed thresholds and the sequential judge catch bad
// canaries and promote good ones, as a markdown report; anything else goes to BenchmarkDotNet (e.g. `--filter *ReconcileStep*`).
if (args is ["detection", ..])
{
    await DetectionBenchmark.RunAsync(args);
    return;
}

if (args is ["retained", ..])
{
    await RetainedMemory.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ReconcileStepBenchmarks).Assembly).Run(args);
