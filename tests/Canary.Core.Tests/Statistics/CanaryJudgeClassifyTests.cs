using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

public sealed class CanaryJudgeClassifyTests
{
    private readonly CanaryJudge _judge = new();

    [Fact]
    public void Classify_EmptyCanaryWithRemove_IsNoDataAndNotCritical()
    {
        var result = _judge.Classify(Input(Config(), [double.NaN, double.NaN], Around(100, 20)));

        result.Classification.Should().Be(MetricClassification.NoData);
        result.Critical.Should().BeFalse();
        result.Reason.Should().Contain("Missing data").And.Contain("canary");
    }

    [Fact]
    public void Classify_EmptyBaselineThatMustHaveData_IsNoDataFailMetric()
    {
        var result = _judge.Classify(Input(Config() with { MustHaveData = true }, Around(100, 20), []));

        result.Classification.Should().Be(MetricClassification.NoDataFailMetric);
        result.Critical.Should().BeFalse();
    }

    [Fact]
    public void Classify_EmptyCriticalMetric_IsNoDataWithCriticalFlag()
    {
        var result = _judge.Classify(Input(Config() with { Critical = true, MustHaveData = true }, [], Around(100, 20)));

        result.Classification.Should().Be(MetricClassification.NoData);
        result.Critical.Should().BeTrue();
    }

    [Fact]
    public void Classify_EmptySideWithReplace_Passes()
    {
        var result = _judge.Classify(Input(Config() with { NanStrategy = NanStrategy.Replace }, [], Around(100, 20)));

        result.Classification.Should().Be(MetricClassification.Pass);
    }

    [Fact]
    public void Classify_NaNsWithReplace_CountAsZeros()
    {
        // Replaced by 0, the canary's NaNs make it clearly lower than the baseline.
        var canary = Enumerable.Repeat(double.NaN, 30).ToArray();

        var result = _judge.Classify(Input(Config() with { NanStrategy = NanStrategy.Replace }, canary, Around(100, 30)));

        result.Classification.Should().Be(MetricClassification.Low);
        result.CanaryCount.Should().Be(30);
    }

    [Fact]
    public void Classify_IdenticalSortedSamples_PassesAsIdentical()
    {
        var baseline = Around(100, 25);
        var canary = baseline.Reverse().ToArray();

        var result = _judge.Classify(Input(Config(), canary, baseline));

        result.Classification.Should().Be(MetricClassification.Pass);
        result.Reason.Should().Contain("identical");
        result.Test.Should().BeNull();
    }

    [Fact]
    public void Classify_OneDistinctValueAcrossBothSides_Passes()
    {
        var result = _judge.Classify(Input(Config(), [5.0, 5.0, 5.0], [5.0, 5.0]));

        result.Classification.Should().Be(MetricClassification.Pass);
        result.Reason.Should().Contain("single value");
    }

    [Fact]
    public void Classify_ClearIncrease_IsHighWithMeanRatioDeviation()
    {
        var baseline = Around(100, 40);
        var canary = Around(150, 40, seed: 2);

        var result = _judge.Classify(Input(Config(), canary, baseline));

        result.Classification.Should().Be(MetricClassification.High);
        result.Deviation.Should().BeApproximately(canary.Average() / baseline.Average(), 1e-12);
        result.Test!.ConfidenceInterval.Level.Should().Be(0.98);
    }

    [Fact]
    public void Classify_ClearIncreaseWhenOnlyDecreasesCount_Passes()
    {
        var result = _judge.Classify(Input(Config() with { Direction = MetricDirection.Decrease }, Around(150, 40, seed: 2), Around(100, 40)));

        result.Classification.Should().Be(MetricClassification.Pass);
    }

    [Fact]
    public void Classify_ClearDecrease_IsLow()
    {
        var result = _judge.Classify(Input(Config(), Around(60, 40, seed: 3), Around(100, 40)));

        result.Classification.Should().Be(MetricClassification.Low);
    }

    [Fact]
    public void Classify_ClearDecreaseWhenOnlyIncreasesCount_Passes()
    {
        var result = _judge.Classify(Input(Config() with { Direction = MetricDirection.Increase }, Around(60, 40, seed: 3), Around(100, 40)));

        result.Classification.Should().Be(MetricClassification.Pass);
    }

    [Fact]
    public void Classify_SignificantIncreaseBelowAllowedIncrease_Passes()
    {
        // +5% is significant with this little noise, but the allowed increase is +10%.
        var baseline = Around(100, 60, spread: 1);
        var canary = Around(105, 60, seed: 4, spread: 1);
        var gated = Config() with { EffectSize = new EffectSizeConfig { AllowedIncrease = 1.1 } };

        var ungatedResult = _judge.Classify(Input(Config(), canary, baseline));
        var gatedResult = _judge.Classify(Input(gated, canary, baseline));

        ungatedResult.Classification.Should().Be(MetricClassification.High);
        gatedResult.Classification.Should().Be(MetricClassification.Pass);
    }

    [Fact]
    public void Classify_IntervalClearsZeroButNotTheTolerance_Passes()
    {
        // Two even grids 11 apart: the shift is exactly 11 and the 98% interval's low end lands near 1.
        var baseline = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var canary = baseline.Select(v => v + 11).ToArray();
        var test = MannWhitneyTest.Compute(canary, baseline, 0.98);
        test.ConfidenceInterval.Low.Should().BeInRange(0, 0.25 * test.Estimate, "the case needs an interval above 0 but within the tolerance");

        var result = _judge.Classify(Input(Config(), canary, baseline));
        var strict = new CanaryJudge(new JudgeOptions { Tolerance = 0 }).Classify(Input(Config(), canary, baseline));

        result.Classification.Should().Be(MetricClassification.Pass);
        strict.Classification.Should().Be(MetricClassification.High);
    }

    [Fact]
    public void Classify_CriticalHighBeyondCriticalIncrease_IsFlaggedCritical()
    {
        var config = Config() with { Critical = true, EffectSize = new EffectSizeConfig { CriticalIncrease = 1.2 } };

        var result = _judge.Classify(Input(config, Around(150, 40, seed: 2), Around(100, 40)));

        result.Classification.Should().Be(MetricClassification.High);
        result.Critical.Should().BeTrue();
        result.Reason.Should().Contain("critical");
    }

    [Fact]
    public void Classify_CriticalHighBelowCriticalIncrease_IsNotFlagged()
    {
        var config = Config() with { Critical = true, EffectSize = new EffectSizeConfig { CriticalIncrease = 2.0 } };

        var result = _judge.Classify(Input(config, Around(150, 40, seed: 2), Around(100, 40)));

        result.Classification.Should().Be(MetricClassification.High);
        result.Critical.Should().BeFalse();
    }

    [Fact]
    public void Classify_CriticalLowBeyondCriticalDecrease_IsFlaggedCritical()
    {
        var config = Config() with { Critical = true, EffectSize = new EffectSizeConfig { CriticalDecrease = 0.8 } };

        var result = _judge.Classify(Input(config, Around(60, 40, seed: 3), Around(100, 40)));

        result.Classification.Should().Be(MetricClassification.Low);
        result.Critical.Should().BeTrue();
    }

    [Fact]
    public void Classify_BothSidesConstantButDifferent_IsHighDeterministically()
    {
        var result = _judge.Classify(Input(Config(), [12.0, 12.0, 12.0, 12.0], [10.0, 10.0, 10.0]));

        result.Classification.Should().Be(MetricClassification.High);
        result.Test!.Estimate.Should().Be(2);
        result.Deviation.Should().Be(1.2);
    }

    [Fact]
    public void Classify_ZeroBaselineMean_HasNaNDeviationAndSkipsEffectGate()
    {
        var config = Config() with { EffectSize = new EffectSizeConfig { AllowedIncrease = 5 } };
        var baseline = Enumerable.Repeat(0.0, 30).ToArray();

        var result = _judge.Classify(Input(config, Around(3, 30, spread: 1), baseline));

        result.Deviation.Should().Be(double.NaN);
        result.Classification.Should().Be(MetricClassification.High);
    }

    [Fact]
    public void Classify_ClesMeasure_GatesOnProbabilityOfIncrease()
    {
        var baseline = Around(100, 60);
        var canary = Around(110, 60, seed: 2);
        var cles = new EffectSizeConfig { Measure = EffectSizeMeasure.Cles };

        var ungated = _judge.Classify(Input(Config() with { EffectSize = cles }, canary, baseline));
        var gated = _judge.Classify(Input(Config() with { EffectSize = cles with { AllowedIncrease = 0.9 } }, canary, baseline));

        ungated.EffectSize.Should().Be(ungated.Test!.CommonLanguageEffectSize).And.BeInRange(0.5, 0.9);
        ungated.Classification.Should().Be(MetricClassification.High);
        gated.Classification.Should().Be(MetricClassification.Pass);
    }

    [Fact]
    public void Classify_OutliersRemoved_DropsFarValuesFromEachSide()
    {
        // With reduced sensitivity the upper fence is at least p99, which is the maximum below 100 values.
        var canary = Around(100, 200).Append(10_000).ToArray();
        var config = Config() with { Outliers = new OutlierConfig { Strategy = OutlierStrategy.Remove } };

        var kept = _judge.Classify(Input(Config(), canary, Around(100, 200, seed: 9)));
        var removed = _judge.Classify(Input(config, canary, Around(100, 200, seed: 9)));

        kept.CanaryCount.Should().Be(201);
        removed.CanaryCount.Should().Be(200);
        removed.BaselineCount.Should().Be(200);
    }

    [Fact]
    public void Classify_NonPositiveOutlierFactor_IsErrorNamingTheField()
    {
        var config = Config() with { Outliers = new OutlierConfig { Strategy = OutlierStrategy.Remove, Factor = 0 } };

        var result = _judge.Classify(Input(config, Around(100, 10), Around(100, 10, seed: 2)));

        result.Classification.Should().Be(MetricClassification.Error);
        result.Critical.Should().BeFalse();
        result.Reason.Should().Contain("outliers.factor");
    }

    [Fact]
    public void Classify_ClesThresholdAboveOne_IsErrorNamingTheField()
    {
        var config = Config() with { EffectSize = new EffectSizeConfig { Measure = EffectSizeMeasure.Cles, AllowedIncrease = 1.5 } };

        var result = _judge.Classify(Input(config, Around(100, 10), Around(100, 10, seed: 2)));

        result.Classification.Should().Be(MetricClassification.Error);
        result.Reason.Should().Contain("effectSize.allowedIncrease");
    }

    [Fact]
    public void Classify_InfiniteValue_IsErrorWithoutCriticalFlag()
    {
        var config = Config() with { Critical = true };

        var result = _judge.Classify(Input(config, [1.0, double.PositiveInfinity], [1.0, 2.0]));

        result.Classification.Should().Be(MetricClassification.Error);
        result.Critical.Should().BeFalse();
    }

    [Fact]
    public void Classify_CopiesGroupsAndMutedFlag()
    {
        var config = Config() with { Groups = ["latency", "errors"], Muted = true };

        var result = _judge.Classify(Input(config, Around(100, 10), Around(100, 10, seed: 2)));

        result.Groups.Should().Equal("latency", "errors");
        result.Muted.Should().BeTrue();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryField()
    {
        var options = new JudgeOptions
        {
            ConfidenceLevel = 1.5,
            MarginalThreshold = 90,
            PassThreshold = 80,
            GroupWeights = new Dictionary<string, double> { ["a"] = 70, ["b"] = 40 },
        };

        var act = () => new CanaryJudge(options);

        act.Should().Throw<ArgumentException>()
            .WithMessage("*ConfidenceLevel*").And.Message.Should().Contain("PassThreshold").And.Contain("GroupWeights");
    }

    [Fact]
    public void Percentile_CommonsMathDefaultEstimate_InterpolatesAndClamps()
    {
        double[] sorted = [1, 2, 3, 4];

        OutlierFilter.Percentile(sorted, 25).Should().Be(1.25);
        OutlierFilter.Percentile(sorted, 50).Should().Be(2.5);
        OutlierFilter.Percentile(sorted, 1).Should().Be(1);
        OutlierFilter.Percentile(sorted, 99).Should().Be(4);
    }

    private static MetricJudgeConfig Config() => new() { Name = "latency" };

    private static MetricJudgeInput Input(MetricJudgeConfig config, double[] canary, double[] baseline) =>
        new(config, canary, baseline);

    private static double[] Around(double centre, int count, int seed = 1, double spread = 10)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => centre + ((random.NextDouble() - 0.5) * 2 * spread)).ToArray();
    }
}
