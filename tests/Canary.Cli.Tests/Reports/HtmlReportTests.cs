using System.Text.RegularExpressions;

namespace Canary.Cli.Tests.Reports;

public class HtmlReportTests
{
    private static string Spec => CliRun.Spec("nginx-canary.yaml");

    [Fact]
    public async Task Report_HealthyRollout_DrawsOneWeightStepPerWeightAdvancedEvent()
    {
        var report = await ReportRun.SimulateAsync(Spec);

        var advanced = report.Events("WeightAdvanced").Select(e => e.GetProperty("weight").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        advanced.Should().HaveCount(10);
        ReportRun.DataValues(report.Html, "weight-step", "weight").Should().Equal(advanced);
        report.Html.Should().Contain("data-weight-steps=\"10\"");
    }

    [Fact]
    public async Task Report_Promoted_BannerSaysPromotedWithTheEnginesReason()
    {
        var report = await ReportRun.SimulateAsync(Spec);

        report.Run.ExitCode.Should().Be(ExitCodes.Success);
        report.Html.Should().Contain("<section class=\"banner banner-promoted\" id=\"decision\" data-outcome=\"Promoted\">")
            .And.Contain("<div class=\"banner-reason\">Promotion completed! Scaling down podinfo.test</div>");
    }

    [Fact]
    public async Task Report_RolledBack_BannerGivesTheReasonAndTheFailedChecks()
    {
        var report = await ReportRun.SimulateAsync(Spec, "--canary-error-rate", "0.5");

        report.Run.ExitCode.Should().Be(ExitCodes.RolloutFailed);
        var banner = Regex.Match(report.Html, "<section class=\"banner banner-rolled-back\".*?</section>", RegexOptions.Singleline).Value;
        banner.Should().Contain("Rolled back").And.Contain("Rolling back podinfo.test failed checks threshold reached 5");
        Regex.Matches(banner, "<li>Halt podinfo.test advancement success rate [0-9.]+% &lt; 99%</li>").Should().HaveCount(3);
    }

    [Fact]
    public async Task Report_Messages_AreHtmlEscaped()
    {
        var report = await ReportRun.SimulateAsync(Spec, "--canary-error-rate", "0.5");

        report.Html.Should().Contain("% &lt; 99%").And.Contain("is within &lt;= 500ms");
        report.Html.Should().NotContain("% < 99%").And.NotContain("is within <= 500ms");
    }

    [Fact]
    public async Task Report_Page_ReferencesNothingOutsideItself()
    {
        var report = await ReportRun.SimulateAsync(Spec);

        report.Html.Should().Contain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
        Regex.Matches(report.Html, @"\b(src|href|xlink:href)\s*=", RegexOptions.IgnoreCase).Should().BeEmpty();
        Regex.Matches(report.Html, @"url\((?!#)|@import|@font-face", RegexOptions.IgnoreCase).Should().BeEmpty();
        report.Html.Should().Contain("<style>").And.Contain("<script>");
    }

    [Fact]
    public async Task Report_Metrics_DrawEachThresholdAndMarkEveryFailedCheck()
    {
        var report = await ReportRun.SimulateAsync(Spec, "--canary-error-rate", "0.5");

        var successRate = report.MetricChart("request-success-rate");
        successRate.Should().Contain("<g class=\"threshold\" data-bound=\"min\" data-value=\"99\">");
        var failed = report.Events("CheckFailed").Count(e => e.GetProperty("metric").GetString() == "request-success-rate");
        failed.Should().Be(5);
        ReportRun.CountClass(successRate, "metric-point fail").Should().Be(failed);
        report.MetricChart("request-duration").Should().Contain("<g class=\"threshold\" data-bound=\"max\" data-value=\"500\">");
    }

    [Fact]
    public async Task Report_FailingGatingWebhook_MarksEachFailureOnTheGatesLane()
    {
        var report = await ReportRun.SimulateAsync(Spec, "--webhook", "acceptance-test=fail");

        var failures = report.Events("CheckFailed").Count(e => e.TryGetProperty("webhook", out _));
        failures.Should().Be(5);
        ReportRun.DataValues(report.Html, "gate gate-failed", "webhook").Should().HaveCount(failures).And.OnlyContain(name => name == "acceptance-test");
    }

    [Fact]
    public async Task Report_ConfirmGateThatNeverOpens_MarksOneWaitAndSaysNotFinished()
    {
        var spec = CliRun.WriteTemp(ConfirmGateSpec);
        try
        {
            var report = await ReportRun.SimulateAsync(spec, "--webhook", "approve=fail");

            report.Events("Waiting").Should().NotBeEmpty();
            ReportRun.DataValues(report.Html, "gate gate-waiting", "webhook").Should().Equal("approve");
            report.Html.Should().Contain("<section class=\"banner banner-unfinished\"").And.Contain("was still Waiting when it stopped being watched");
        }
        finally
        {
            File.Delete(spec);
        }
    }

    [Fact]
    public async Task Report_BlueGreen_CountsIterationsInsteadOfWeightSteps()
    {
        var report = await ReportRun.SimulateAsync(CliRun.Spec("blue-green.yaml"));

        var iterations = report.Events("IterationAdvanced").Count;
        iterations.Should().Be(10);
        ReportRun.DataValues(report.Html, "iteration-step", "iteration").Should().Equal(Enumerable.Range(1, iterations).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        report.CountClass("weight-step").Should().Be(0);
    }

    [Fact]
    public async Task Simulate_ReportInMissingDirectory_ExitsTwoNamingTheOption()
    {
        var path = Path.Combine(Path.GetTempPath(), $"canary-missing-{Guid.NewGuid():N}", "report.html");

        var run = await CliRun.RunAsync("simulate", Spec, "--report", path);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith($"--report {path}: the directory").And.EndWith("does not exist");
        File.Exists(path).Should().BeFalse();
    }

    private const string ConfirmGateSpec = """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: web
          namespace: prod
        spec:
          provider: nginx
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: web}
          service: {port: 80}
          analysis:
            interval: 1m
            threshold: 3
            stepWeight: 10
            maxWeight: 50
            metrics:
              - name: request-success-rate
                thresholdRange: {min: 99}
            webhooks:
              - name: approve
                type: confirm-rollout
                url: http://gate.test/
        """;
}
