namespace Canary.Cli.Tests;

[Collection(Canary.Cli.Tests.Demo.LiveRollouts.Name)]
public class DemoCommandTests
{
    [Fact]
    public async Task Demo_RealTimeWithOneSecondSteps_PromotesV2RollsBackV3AndExitsZero()
    {
        var run = await CliRun.RunAsync("demo", "--interval-seconds", "1").WaitAsync(TimeSpan.FromMinutes(2));

        run.ExitCode.Should().Be(ExitCodes.Success, run.Output);
        run.Output.Should().Contain("Initialization done! podinfo.test")
            .And.Contain("== 2.0.0: promoted ==")
            .And.Contain("== 3.0.0: rolled back ==")
            .And.Contain("Result: 2.0.0 promoted, 3.0.0 rolled back, as expected.");
        run.Output.IndexOf("Promotion completed!", StringComparison.Ordinal).Should().BeLessThan(run.Output.IndexOf("Rolling back podinfo.test", StringComparison.Ordinal));
        run.Output.Should().MatchRegex(
            @"\] 2\.0\.0  \[##\.{18}\]  10% \| success +(-|100\.0%) \| P99 +(-|\d+ ms) \| failed checks 0/3 \| proxy to canary 10%",
            "a progress line per interval shows the weight as a bar, the checks and the split the proxy applies");
        run.Output.Should().MatchRegex(@"\] 3\.0\.0  \[##\.{18}\]  10% \| success +\d+\.\d% \| P99 +\d+ ms \| failed checks [12]/3 \|", "v3's failed checks count up");
        run.Output.Should().MatchRegex(@"\n  2\.0\.0 +promoted +5 +50% +0/3 ")
            .And.MatchRegex(@"\n  3\.0\.0 +rolled back +1 +10% +3/3 ")
            .And.Contain("  wall time ", "the summary ends the run");
        run.Output.Should().NotContain("\u001b", "no colours when the output is not a terminal");
    }

    [Theory]
    [InlineData("--provider", "istio", "--provider istio: not a known provider")]
    [InlineData("--provider", "gatewayapi:v2", "--provider gatewayapi:v2: not a version the demo serves")]
    [InlineData("--requests-per-second", "0", "--requests-per-second 0: must be between 1 and 1000")]
    [InlineData("--interval-seconds", "0.5", "--interval-seconds 0.5: must be between 1 and 600")]
    public async Task Demo_InvalidOption_ExitsTwoNamingIt(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("demo", option, value);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith(message);
    }

    [Fact]
    public async Task Demo_Cancelled_StopsAndExitsOne()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var exitCode = await CanaryCli.RunAsync(["demo", "--fast"], output, error, cancelled.Token);

        exitCode.Should().Be(ExitCodes.RolloutFailed);
        output.ToString().Should().Contain("Stopped.");
    }
}
