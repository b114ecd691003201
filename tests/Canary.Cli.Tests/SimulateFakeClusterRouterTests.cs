namespace Canary.Cli.Tests;

/// <summary>
/// <c>canary simulate --cluster fake</c> with each traffic provider: the real router writes its objects to the fake API
/// server, and the simulated traffic is split by the weights read back from those objects.
/// </summary>
public class SimulateFakeClusterRouterTests
{
    private const int RequestsPerSecond = 100;

    private static string SpecFor(string provider) => CliRun.WriteTemp($$"""
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
          provider: {{provider}}
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}
          service:
            port: 80
            targetPort: 9898
            hosts: [app.example.com]
            gatewayRefs: [{name: public, namespace: gateways}]
          analysis:
            interval: 1m
            threshold: 5
            maxWeight: 50
            stepWeight: 10
            metrics:
              - {name: request-success-rate, thresholdRange: {min: 99}, interval: 1m}
        """);

    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    [InlineData("smi")]
    [InlineData("linkerd")]
    [InlineData("gatewayapi")]
    public async Task Simulate_WeightedProvider_PromotesAndSplitsTrafficByTheWrittenWeights(string provider)
    {
        var run = await CliRun.RunAsync("simulate", SpecFor(provider), "--cluster", "fake", "--requests-per-second", $"{RequestsPerSecond}");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        run.Output.Should().Contain("Advance podinfo.test canary weight 50");

        // 60 s at each of 10..50%, plus the interval at 50% while the primary takes the new template: 200% of a minute.
        var expected = RequestsPerSecond * 60 * 2.0;
        CanaryRequests(run).Should().BeInRange((long)(expected * 0.95), (long)(expected * 1.05));
    }

    [Fact]
    public async Task Simulate_LabelRatio_SplitsByReadyReplicas()
    {
        var run = await CliRun.RunAsync("simulate", SpecFor("label-ratio"), "--cluster", "fake", "--replicas", "10", "--output", "json");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        run.JsonEvents.Where(e => e.GetProperty("type").GetString() == "WeightAdvanced").Select(e => e.GetProperty("weight").GetInt32())
            .Should().Equal(10, 20, 30, 40, 50);
    }

    [Fact]
    public async Task Simulate_LabelRatioWithTooFewReplicas_NeverRoutesMoreThanRequested()
    {
        var run = await CliRun.RunAsync("simulate", SpecFor("label-ratio"), "--cluster", "fake", "--replicas", "2", "--output", "json");

        run.JsonEvents.Where(e => e.GetProperty("type").GetString() == "WeightAdvanced")
            .Should().OnlyContain(e => e.GetProperty("weight").GetInt32() == 0, "one of two replicas would be 50%, above the requested 10%");
    }

    [Fact]
    public async Task Simulate_LabelRatioWithBaseline_GivesTheBaselineTheCanarysShare()
    {
        var spec = CliRun.WriteTemp(File.ReadAllText(SpecFor("label-ratio")).Replace("maxWeight: 50", "maxWeight: 50\n    baseline: true", StringComparison.Ordinal));

        // A faulty canary is analysed until it is rolled back, so the baseline runs beside it for the whole run.
        var run = await CliRun.RunAsync(
            "simulate", spec, "--cluster", "fake", "--replicas", "10", "--requests-per-second", $"{RequestsPerSecond}", "--canary-error-rate", "0.05");

        run.ExitCode.Should().Be(ExitCodes.RolloutFailed, run.Error);
        var canary = Served(run, "canary");
        Served(run, "baseline").Should().BeInRange((long)(canary * 0.9), (long)(canary * 1.1), "the baseline runs at the canary's scale behind the same Service");
    }

    private static long CanaryRequests(CliRun run) => Served(run, "canary");

    private static long Served(CliRun run, string workload)
    {
        var line = run.Output.Split('\n').Single(l => l.StartsWith("Traffic:", StringComparison.Ordinal));
        var marker = $"{workload} served ";
        var start = line.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return long.Parse(line[start..line.IndexOf(' ', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
