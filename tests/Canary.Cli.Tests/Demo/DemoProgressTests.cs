using Canary.Cli.Demo;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Tests.Demo;

public sealed class DemoProgressTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly CanaryId Id = new("podinfo", "test");

    [Theory]
    [InlineData(0, "[....................]")]
    [InlineData(10, "[##..................]")]
    [InlineData(25, "[#####...............]")]
    [InlineData(50, "[##########..........]")]
    [InlineData(100, "[####################]")]
    [InlineData(-5, "[....................]")]
    [InlineData(130, "[####################]")]
    public void Bar_Weight_FillsOneHashPerFivePercent(int weight, string bar)
    {
        DemoProgress.Bar(weight).Should().Be(bar);
    }

    [Fact]
    public void ProgressLine_BeforeAnyCheck_ShowsTheWeightAndDashes()
    {
        var progress = new DemoProgress(Canary(), color: false);
        progress.Observe(Event(CanaryEventType.WeightAdvanced, weight: 25, failed: 0, Now));

        var line = progress.ProgressLine("2.0.0", TimeSpan.FromSeconds(3.5), Now, Interval, 0.25);

        line.Should().Be("[   3.5s] 2.0.0  [#####...............]  25% | success      - | P99       - | failed checks 0/3 | proxy to canary 25%");
    }

    [Fact]
    public void ProgressLine_AfterARoundOfChecks_ShowsTheJudgedValuesAndFailedChecks()
    {
        var progress = new DemoProgress(Canary(), color: false);
        progress.Observe(Check(BuiltinMetrics.RequestSuccessRate, 78.72, passed: false, failed: 1, Now.AddSeconds(-1)));
        progress.Observe(Check(BuiltinMetrics.RequestDuration, 183.6, passed: true, failed: 1, Now.AddSeconds(-1)));

        var line = progress.ProgressLine("3.0.0", TimeSpan.FromSeconds(18), Now, Interval, 0.25);

        line.Should().Contain("| success  78.7% | P99  184 ms | failed checks 1/3 |");
    }

    [Fact]
    public void ProgressLine_ChecksOlderThanAnInterval_ShowsDashes()
    {
        var progress = new DemoProgress(Canary(), color: false);
        progress.Observe(Check(BuiltinMetrics.RequestSuccessRate, 100, passed: true, failed: 0, Now.AddSeconds(-3)));

        var line = progress.ProgressLine("2.0.0", TimeSpan.FromSeconds(9), Now, Interval, 0);

        line.Should().Contain("| success      - |");
    }

    [Fact]
    public void ProgressLine_CheckWithoutData_SaysNoData()
    {
        var progress = new DemoProgress(Canary(), color: false);
        progress.Observe(Check(BuiltinMetrics.RequestDuration, null, passed: false, failed: 1, Now));

        progress.ProgressLine("2.0.0", TimeSpan.Zero, Now, Interval, null).Should().Contain("| P99 no data |").And.EndWith("proxy to canary n/a");
    }

    [Fact]
    public void Lines_WithoutColour_HoldNoEscapes()
    {
        var progress = new DemoProgress(Canary(), color: false);
        progress.Observe(Check(BuiltinMetrics.RequestSuccessRate, 50, passed: false, failed: 2, Now));
        var failed = Event(CanaryEventType.RollingBack, weight: 0, failed: 3, Now) with { Severity = AlertSeverity.Error };

        var text = progress.ProgressLine("3.0.0", TimeSpan.Zero, Now, Interval, 0.1) + progress.EventLine(failed, TimeSpan.Zero);

        text.Should().NotContain("\u001b");
    }

    [Fact]
    public void Lines_WithColour_PaintFailuresRed()
    {
        var progress = new DemoProgress(Canary(), color: true);
        progress.Observe(Check(BuiltinMetrics.RequestSuccessRate, 50, passed: false, failed: 2, Now));

        var line = progress.ProgressLine("3.0.0", TimeSpan.Zero, Now, Interval, 0.1);

        line.Should().Contain("\u001b[31m 50.0%\u001b[0m").And.Contain("\u001b[31m2/3\u001b[0m");
    }

    [Fact]
    public void WriteSummary_TwoRollouts_WritesARowEachTheAnswersAndTheWallTime()
    {
        var progress = new DemoProgress(Canary(), color: false);
        var promoted = new DemoRolloutRecord(
            "2.0.0", "healthy", "1.0.0", [Event(CanaryEventType.WeightAdvanced, 10, 0, Now), Event(CanaryEventType.WeightAdvanced, 20, 0, Now)],
            CanaryPhase.Succeeded, new Dictionary<string, VersionCount> { ["1.0.0"] = new(90, 0), ["2.0.0"] = new(40, 0) }, TimeSpan.FromSeconds(56));
        var rolledBack = new DemoRolloutRecord(
            "3.0.0", "faulty", "2.0.0", [Event(CanaryEventType.WeightAdvanced, 10, 0, Now), Event(CanaryEventType.RollingBack, 10, 3, Now)],
            CanaryPhase.Failed, new Dictionary<string, VersionCount> { ["3.0.0"] = new(12, 3) }, TimeSpan.FromSeconds(35));
        using var output = new StringWriter();

        progress.WriteSummary(output, [promoted, rolledBack], new Dictionary<string, VersionCount> { ["1.0.0"] = new(90, 0), ["3.0.0"] = new(12, 3) }, TimeSpan.FromSeconds(93.4));

        output.ToString().Split(Environment.NewLine).Should().StartWith(
        [
            "Summary",
            "  release   outcome       steps  peak  failed   time  canary's answers (ok/failed)",
            "  2.0.0     promoted          2   20%     0/3    56s  40/0",
            "  3.0.0     rolled back       1   10%     3/3    35s  12/3",
            "  users' answers by version: 1.0.0 90 ok/0 failed, 3.0.0 12 ok/3 failed",
            "  wall time 93s",
        ]);
    }

    private static CanaryResource Canary() => new(
        Id,
        new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
            Analysis = new AnalysisSpec { Threshold = 3, StepWeight = 10, MaxWeight = 50 },
        });

    private static CanaryEvent Event(CanaryEventType type, int weight, int failed, DateTimeOffset time) =>
        new(time, type, Id, CanaryPhase.Progressing, weight, failed, type.ToString());

    private static CanaryEvent Check(string metric, double? value, bool passed, int failed, DateTimeOffset time) =>
        Event(passed ? CanaryEventType.CheckPassed : CanaryEventType.CheckFailed, 25, failed, time) with { Metric = metric, Value = value };
}
