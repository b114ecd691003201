using System.Text.Json;

namespace Canary.Cli.Tests;

public class SimulateCommandTests
{
    private static string Spec => CliRun.Spec("nginx-canary.yaml");

    private static List<string> Types(CliRun run) => run.JsonEvents.Select(e => e.GetProperty("type").GetString()!).ToList();

    [Fact]
    public async Task Simulate_HealthyCanary_AdvancesByFiveToFiftyThenPromotesAndExitsZero()
    {
        var run = await CliRun.RunAsync("simulate", Spec, "--output", "json");

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.JsonEvents.Where(e => e.GetProperty("type").GetString() == "WeightAdvanced").Select(e => e.GetProperty("weight").GetInt32())
            .Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
        var types = Types(run);
        types.Last().Should().Be("Promoted");
        types.IndexOf("Promoted").Should().BeGreaterThan(types.LastIndexOf("WeightAdvanced"));
    }

    [Fact]
    public async Task Simulate_CanaryFailingHalfItsRequests_RollsBackAtThresholdAndExitsOne()
    {
        var run = await CliRun.RunAsync("simulate", Spec, "--canary-error-rate", "0.5", "--output", "json");

        run.ExitCode.Should().Be(ExitCodes.RolloutFailed);
        var events = run.JsonEvents;
        var rolledBack = events.Single(e => e.GetProperty("type").GetString() == "RolledBack");
        rolledBack.GetProperty("failedChecks").GetInt32().Should().Be(5);
        events.Count(e => e.GetProperty("type").GetString() == "CheckFailed").Should().Be(5);
        events.Max(e => e.GetProperty("weight").GetInt32()).Should().Be(5);
        Types(run).Should().NotContain("Promoted");
    }

    [Fact]
    public async Task Simulate_JsonOutput_HasTheDocumentedFields()
    {
        var run = await CliRun.RunAsync("simulate", Spec, "--canary-error-rate", "0.5", "--output", "json");

        var check = run.JsonEvents.First(e => e.GetProperty("type").GetString() == "CheckFailed");
        foreach (var field in new[] { "time", "type", "canary", "phase", "weight", "failedChecks", "message", "metric", "value", "threshold" })
        {
            check.TryGetProperty(field, out _).Should().BeTrue($"field {field} is documented");
        }

        check.GetProperty("canary").GetString().Should().Be("podinfo.test");
        check.GetProperty("threshold").GetProperty("min").GetDouble().Should().Be(99);
    }

    [Fact]
    public async Task Simulate_TextOutput_ReadsLikeAFlaggerLog()
    {
        var run = await CliRun.RunAsync("simulate", Spec);

        run.Output.Should().Contain("Advance podinfo.test canary weight 5").And.Contain("Promotion completed! Scaling down podinfo.test");
        run.Output.Should().Contain("Result: Succeeded");
    }

    [Fact]
    public async Task Simulate_SlowCanary_FailsTheDurationCheck()
    {
        var run = await CliRun.RunAsync("simulate", Spec, "--canary-latency-ms", "900", "--output", "json");

        run.ExitCode.Should().Be(ExitCodes.RolloutFailed);
        run.JsonEvents.Should().Contain(e => e.GetProperty("type").GetString() == "CheckFailed" && e.GetProperty("metric").GetString() == "request-duration");
    }

    [Fact]
    public async Task Simulate_FailingWebhook_CountsFailedChecks()
    {
        var run = await CliRun.RunAsync("simulate", Spec, "--webhook", "acceptance-test=fail", "--output", "json");

        run.ExitCode.Should().Be(ExitCodes.RolloutFailed);
        run.JsonEvents.Where(e => e.GetProperty("type").GetString() == "CheckFailed")
            .Should().OnlyContain(e => e.GetProperty("webhook").GetString() == "acceptance-test");
    }

    [Fact]
    public async Task Simulate_TemplateMetricValue_IsJudgedAgainstItsRange()
    {
        var spec = CliRun.Spec("traefik-canary.yaml");

        var passing = await CliRun.RunAsync("simulate", spec, "--metric", "error-rate=0.1");
        var failing = await CliRun.RunAsync("simulate", spec, "--metric", "error-rate=50");

        passing.ExitCode.Should().Be(ExitCodes.Success);
        failing.ExitCode.Should().Be(ExitCodes.RolloutFailed);
    }

    [Fact]
    public async Task Simulate_SameSeed_GivesTheSameEvents()
    {
        var first = await CliRun.RunAsync("simulate", Spec, "--canary-error-rate", "0.01", "--seed", "7", "--output", "json");
        var second = await CliRun.RunAsync("simulate", Spec, "--canary-error-rate", "0.01", "--seed", "7", "--output", "json");

        second.Output.Should().Be(first.Output);
    }

    [Theory]
    [InlineData("--canary-error-rate", "1.5", "--canary-error-rate: must be a fraction between 0 and 1")]
    [InlineData("--requests-per-second", "0", "--requests-per-second: must be greater than 0")]
    [InlineData("--metric", "error-rate", "--metric error-rate: expected NAME=VALUE")]
    [InlineData("--metric", "nope=1", "--metric nope: the canary has no metric or template named \"nope\"")]
    [InlineData("--webhook", "load-test=maybe", "--webhook load-test=maybe: \"maybe\" is not a valid value")]
    [InlineData("--webhook", "ghost=fail", "--webhook ghost: the canary has no webhook named \"ghost\"")]
    public async Task Simulate_InvalidOption_ExitsTwoNamingIt(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("simulate", Spec, option, value);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain(message);
    }

    [Fact]
    public async Task Simulate_InvalidSpec_ExitsTwo()
    {
        var path = CliRun.WriteTemp("apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: x}\nspec: {}\n");

        var run = await CliRun.RunAsync("simulate", path);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().Contain(line => line.StartsWith("spec.targetRef", StringComparison.Ordinal));
    }
}
