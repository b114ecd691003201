using Canary.Model;
using Canary.Statistics;
using Canary.Validation;

namespace Canary.Core.Tests.Validation;

public sealed class KayentaJudgeValidationTests
{
    private const string Judge = "spec.analysis.judge";

    private static JudgeSpec Kayenta(Func<JudgeSpec, JudgeSpec>? change = null)
    {
        var judge = new JudgeSpec { Type = JudgeType.Kayenta };
        return change is null ? judge : change(judge);
    }

    private static KayentaMetricSpec[] Metric(KayentaMetricSpec metric) => [new() { Name = "error-rate" }, metric];

    [Fact]
    public void Validate_DefaultKayentaJudge_ReturnsNoErrors() =>
        Errors(Kayenta()).Should().BeEmpty();

    [Fact]
    public void Validate_PassThresholdAboveHundred_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { ScoreThresholds = new() { Pass = 101 } }), $"{Judge}.scoreThresholds.pass", "must be between 0 and 100 (got 101)");

    [Fact]
    public void Validate_NegativeMarginalThreshold_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { ScoreThresholds = new() { Marginal = -1 } }), $"{Judge}.scoreThresholds.marginal", "must be between 0 and 100 (got -1)");

    [Fact]
    public void Validate_MarginalAbovePass_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { ScoreThresholds = new() { Pass = 80, Marginal = 90 } }), $"{Judge}.scoreThresholds.marginal", "must not exceed scoreThresholds.pass (90 > 80)");

    [Fact]
    public void Validate_NegativeLookbackIntervals_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { LookbackIntervals = -1 }), $"{Judge}.lookbackIntervals", "must not be negative (0 judges every slice kept since the run started)");

    [Fact]
    public void Validate_MaxSlicesOverAThousand_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { MaxSlices = 1001 }), $"{Judge}.maxSlices", "must be between 1 and 1000");

    [Fact]
    public void Validate_MaxSlicesBelowTheJudgedWindow_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { LookbackIntervals = 2, MaxSlices = 10 }), $"{Judge}.maxSlices", "keeps fewer slices than a judged window of 2 interval(s) holds (10 < 12)");

    [Fact]
    public void Validate_MinRequestsPerSampleOfZero_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { MinRequestsPerSample = 0 }), $"{Judge}.minRequestsPerSample", "must be at least 1 (got 0)");

    [Fact]
    public void Validate_NegativeMaxHoldIntervals_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { MaxHoldIntervals = -1 }), $"{Judge}.maxHoldIntervals", "must not be negative (got -1; 0 never holds)");

    [Fact]
    public void Validate_UnknownMarginalAction_ReportsTheKnownOnes() =>
        ShouldReportOnly(Kayenta(j => j with { OnMarginal = (MarginalAction)7 }), $"{Judge}.onMarginal", "is not a known marginal action (known: fail, pause)");

    [Fact]
    public void Validate_TooFewSlicesPerWindow_ReportsTheLookInterval() =>
        ShouldReportOnly(Kayenta(j => j with { LookInterval = TimeSpan.FromSeconds(15) }), $"{Judge}.lookInterval",
            "gives 4 slice(s) per judged window of 1 interval(s); the rank-sum test needs at least 5 per side to find any difference: shorten lookInterval or raise lookbackIntervals");

    [Fact]
    public void Validate_NoMetrics_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = [] }), $"{Judge}.metrics", "must list at least one metric");

    [Fact]
    public void Validate_MetricWithoutName_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = string.Empty }) }), $"{Judge}.metrics[1].name", "is required");

    [Theory]
    [InlineData("request-duration")]
    [InlineData("latency-p100")]
    [InlineData("latency-p")]
    [InlineData("latency-p.5")]
    public void Validate_UnknownMetricName_NamesTheKnownOnes(string name) =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = name }) }), $"{Judge}.metrics[1].name",
            $"\"{name}\" is not a known metric (known: error-rate, or latency-pQ for a latency quantile in percent, such as latency-p99)");

    [Fact]
    public void Validate_RepeatedMetric_ReportsTheRepeat() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = "error-rate" }) }), $"{Judge}.metrics[1].name", "repeats metric error-rate");

    [Fact]
    public void Validate_UnknownDirection_ReportsTheKnownOnes() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = "latency-p99.9", Direction = (MetricDirection)9 }) }), $"{Judge}.metrics[1].direction",
            "is not a known direction (known: increase, decrease, either)");

    [Fact]
    public void Validate_AllowedIncreaseBelowOne_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = "latency-p99", EffectSize = new() { AllowedIncrease = 0.9 } }) }),
            $"{Judge}.metrics[1].effectSize.allowedIncrease", "must be a ratio of at least 1 for measure meanRatio (got 0.9)");

    [Fact]
    public void Validate_AllowedDecreaseAboveOne_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = "latency-p99", EffectSize = new() { AllowedDecrease = 1.2 } }) }),
            $"{Judge}.metrics[1].effectSize.allowedDecrease", "must be a ratio between 0 and 1 for measure meanRatio (got 1.2)");

    [Fact]
    public void Validate_ClesCriticalIncreaseAboveOne_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = "latency-p99", EffectSize = new() { Measure = EffectSizeMeasure.Cles, CriticalIncrease = 1.5 } }) }),
            $"{Judge}.metrics[1].effectSize.criticalIncrease", "must be a probability between 0 and 1 for measure cles (got 1.5)");

    [Fact]
    public void Validate_ZeroOutlierFactor_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { Metrics = Metric(new() { Name = "latency-p99", Outliers = new() { Factor = 0 } }) }),
            $"{Judge}.metrics[1].outliers.outlierFactor", "must be greater than 0 (got 0)");

    [Fact]
    public void Validate_GroupWeightAboveHundred_ReportsIt() =>
        ShouldReportOnly(Kayenta(j => j with { GroupWeights = new Dictionary<string, double> { ["default"] = 120 } }), $"{Judge}.groupWeights.default",
            "must be between 0 and 100 (got 120)");

    [Fact]
    public void Validate_GroupWeightOfAnUnusedGroup_NamesTheGroups() =>
        ShouldReportOnly(Kayenta(j => j with { GroupWeights = new Dictionary<string, double> { ["latency"] = 50 } }), $"{Judge}.groupWeights.latency",
            "names no group of the judge's metrics (groups: default)");

    [Fact]
    public void Validate_GroupWeightsOverHundred_ReportsTheTotal() =>
        ShouldReportOnly(
            Kayenta(j => j with
            {
                Metrics = [new() { Name = "error-rate", Groups = ["errors"] }, new() { Name = "latency-p99", Groups = ["latency"] }],
                GroupWeights = new Dictionary<string, double> { ["errors"] = 60, ["latency"] = 50 },
            }),
            $"{Judge}.groupWeights", "must total at most 100 (got 110)");

    [Fact]
    public void Validate_KayentaFieldsOnASequentialJudge_AreIgnored() =>
        Errors(new JudgeSpec { MaxSlices = 0, Metrics = [] }).Should().BeEmpty();

    private static IReadOnlyList<ValidationError> Errors(JudgeSpec judge) =>
        CanarySpecValidator.Validate(ValidCanary.WithAnalysis(a => a with { Judge = judge }), ValidCanary.Templates);

    private static void ShouldReportOnly(JudgeSpec judge, string path, string message) =>
        Errors(judge).Should().Equal(new ValidationError(path, message));
}
