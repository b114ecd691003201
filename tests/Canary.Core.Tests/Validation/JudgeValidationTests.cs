using Canary.Model;
using Canary.Validation;

namespace Canary.Core.Tests.Validation;

public sealed class JudgeValidationTests
{
    [Fact]
    public void Validate_DefaultJudgeWithBaseline_ReturnsNoErrors()
    {
        var canary = ValidCanary.With(s => s with { Provider = TrafficProviders.LabelRatio, Analysis = s.Analysis with { Judge = new JudgeSpec(), Baseline = true } });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.5)]
    public void Validate_FalseRollbackRateOutsideZeroToOne_ReportsIt(double rate) =>
        ShouldReportOnly(new JudgeSpec { FalseRollbackRate = rate }, "spec.analysis.judge.falseRollbackRate", $"must be strictly between 0 and 1 (got {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)})");

    [Fact]
    public void Validate_FalsePromotionRateOfOne_ReportsIt() =>
        ShouldReportOnly(new JudgeSpec { FalsePromotionRate = 1 }, "spec.analysis.judge.falsePromotionRate", "must be strictly between 0 and 1 (got 1)");

    [Fact]
    public void Validate_ErrorRatioBelowOne_ReportsIt() =>
        ShouldReportOnly(new JudgeSpec { MaxErrorRatio = 0.5 }, "spec.analysis.judge.maxErrorRatio", "must be a ratio of at least 1 (got 0.5)");

    [Fact]
    public void Validate_InfiniteLatencyRatio_ReportsIt() =>
        ShouldReportOnly(new JudgeSpec { MaxLatencyRatio = double.PositiveInfinity }, "spec.analysis.judge.maxLatencyRatio", "must be a ratio of at least 1 (got Infinity)");

    [Fact]
    public void Validate_QuantileOfOne_ReportsItsItem() =>
        ShouldReportOnly(new JudgeSpec { LatencyQuantiles = [0.5, 1] }, "spec.analysis.judge.latencyQuantiles[1]", "must be strictly between 0 and 1 (got 1)");

    [Fact]
    public void Validate_RepeatedQuantile_ReportsTheRepeat() =>
        ShouldReportOnly(new JudgeSpec { LatencyQuantiles = [0.9, 0.5, 0.9] }, "spec.analysis.judge.latencyQuantiles[2]", "repeats quantile 0.9");

    [Fact]
    public void Validate_NegativeMinRequests_ReportsIt() =>
        ShouldReportOnly(new JudgeSpec { MinRequests = -1 }, "spec.analysis.judge.minRequests", "must not be negative");

    [Fact]
    public void Validate_NegativeLookInterval_ReportsIt() =>
        ShouldReportOnly(new JudgeSpec { LookInterval = TimeSpan.FromSeconds(-1) }, "spec.analysis.judge.lookInterval", "must not be negative");

    [Fact]
    public void Validate_UnknownJudgeType_ReportsTheKnownTypes() =>
        ShouldReportOnly(new JudgeSpec { Type = (JudgeType)42 }, "spec.analysis.judge.type", "is not a known judge type (known: sequential, kayenta)");

    private static void ShouldReportOnly(JudgeSpec judge, string path, string message)
    {
        var errors = CanarySpecValidator.Validate(ValidCanary.WithAnalysis(a => a with { Judge = judge }), ValidCanary.Templates);

        errors.Should().Equal(new ValidationError(path, message));
    }
}
