namespace Canary.Cli.Tests.Demo;

/// <summary>
/// The tests that run whole rollouts on real time and judge real latencies: one at a time, so that they do not slow each other
/// past the analysis' thresholds on a small machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveRollouts
{
    public const string Name = "Live rollouts";
}
