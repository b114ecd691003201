namespace Canary.Cli.Tests;

public class ValidateCommandTests
{
    [Theory]
    [InlineData("nginx-canary.yaml")]
    [InlineData("traefik-canary.yaml")]
    [InlineData("ab-testing.yaml")]
    [InlineData("blue-green.yaml")]
    public async Task Validate_SampleSpec_ExitsZero(string file)
    {
        var run = await CliRun.RunAsync("validate", CliRun.Spec(file));

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Validate_InvalidSpec_ExitsTwoWithOneLinePerError()
    {
        var path = CliRun.WriteTemp("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata:
              name: podinfo
            spec:
              provider: istio
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 80}
              analysis:
                interval: 5x
                maxWeight: 150
                stepWeight: 5
            """);

        var run = await CliRun.RunAsync("validate", path);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().HaveCount(3);
        run.ErrorLines.Should().Contain(line => line.StartsWith("spec.provider: ", StringComparison.Ordinal));
        run.ErrorLines.Should().Contain(line => line.StartsWith("spec.analysis.interval: ", StringComparison.Ordinal));
        run.ErrorLines.Should().Contain(line => line.StartsWith("spec.analysis.maxWeight: must be between 1 and 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_MalformedYaml_NamesTheLine()
    {
        var path = CliRun.WriteTemp("apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  name: [unclosed\n");

        var run = await CliRun.RunAsync("validate", path);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain("line ");
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwo()
    {
        var run = await CliRun.RunAsync("validate", "/nonexistent/canary.yaml");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain("not found");
    }

    [Fact]
    public async Task Run_UnknownVerb_ExitsTwo()
    {
        var run = await CliRun.RunAsync("frobnicate");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
    }
}
