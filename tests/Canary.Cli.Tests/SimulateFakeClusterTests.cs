namespace Canary.Cli.Tests;

/// <summary><c>canary simulate --cluster fake</c>: the same rollout through the real Kubernetes client, workload controller and status store.</summary>
public class SimulateFakeClusterTests
{
    private static string Spec => CliRun.Spec("nginx-canary.yaml");

    [Fact]
    public async Task Simulate_FakeClusterWithAHealthyCanary_PromotesWithTheSameEventsAsInMemory()
    {
        var memory = await CliRun.RunAsync("simulate", Spec, "--output", "json");

        var fake = await CliRun.RunAsync("simulate", Spec, "--output", "json", "--cluster", "fake");

        fake.ExitCode.Should().Be(ExitCodes.Success);
        fake.Error.Should().BeEmpty();
        fake.JsonEvents.Select(e => e.GetRawText()).Should().Equal(memory.JsonEvents.Select(e => e.GetRawText()));
        fake.JsonEvents.Last().GetProperty("type").GetString().Should().Be("Promoted");
    }

    [Fact]
    public async Task Simulate_FakeClusterWithAFailingCanary_RollsBackWithTheSameEventsAsInMemory()
    {
        var memory = await CliRun.RunAsync("simulate", Spec, "--canary-error-rate", "0.5", "--output", "json");

        var fake = await CliRun.RunAsync("simulate", Spec, "--canary-error-rate", "0.5", "--output", "json", "--cluster", "fake");

        fake.ExitCode.Should().Be(ExitCodes.RolloutFailed);
        fake.JsonEvents.Select(e => e.GetRawText()).Should().Equal(memory.JsonEvents.Select(e => e.GetRawText()));
        fake.JsonEvents.Should().Contain(e => e.GetProperty("type").GetString() == "RolledBack");
    }

    [Fact]
    public async Task Simulate_UnknownCluster_IsInvalidInput()
    {
        var run = await CliRun.RunAsync("simulate", Spec, "--cluster", "kind");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain("kind");
    }
}
