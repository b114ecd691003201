using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

public sealed class CanaryJudgeScoreTests
{
    private readonly CanaryJudge _judge = new();

    [Fact]
    public void Score_GroupScore_IsPassShareOfPassHighLowAndNoDataFailMetric()
    {
        var result = _judge.Score(
        [
            M("a", MetricClassification.Pass), M("b", MetricClassification.Pass), M("c", MetricClassification.High),
            M("d", MetricClassification.NoDataFailMetric), M("e", MetricClassification.Error),
        ]);

        // Error is left out: 2 of 4.
        result.Groups.Should().ContainSingle().Which.Score.Should().Be(50);
        result.Score.Should().Be(50);
    }

    [Fact]
    public void Score_NoDataLeftOutOfDenominator()
    {
        var result = _judge.Score(
            [M("a", MetricClassification.Pass), M("b", MetricClassification.Low), M("c", MetricClassification.NoData)]);

        result.Score.Should().Be(50);
        result.Reason.Should().BeNull();
    }

    [Fact]
    public void Score_GroupWithNothingCounted_Scores100()
    {
        var result = _judge.Score(
        [
            M("a", MetricClassification.Pass, "latency"), M("b", MetricClassification.High, "latency"),
            M("c", MetricClassification.Error, "errors"),
        ]);

        var errors = result.Groups.Single(g => g.Name == "errors");
        errors.HasData.Should().BeFalse();
        errors.Score.Should().Be(100);
        result.Score.Should().Be(75);
    }

    [Fact]
    public void Score_UnweightedGroupsShareTheRemainingWeight()
    {
        var judge = new CanaryJudge(new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["latency"] = 60 } });

        var result = judge.Score(
        [
            M("a", MetricClassification.High, "latency"), M("b", MetricClassification.Pass, "errors"),
            M("c", MetricClassification.Pass, "saturation"),
        ]);

        result.Groups.Select(g => g.Weight).Should().Equal(60, 20, 20);
        result.Score.Should().Be(40);
    }

    [Fact]
    public void Score_WeightsOfAbsentGroupsStillCountAgainstTheRemainder()
    {
        // As in Kayenta: the 50 given to a group with no metric is not redistributed.
        var judge = new CanaryJudge(new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["absent"] = 50 } });

        var result = judge.Score([M("a", MetricClassification.Pass, "errors")]);

        result.Score.Should().Be(50);
    }

    [Fact]
    public void Score_MetricInTwoGroups_CountsInBoth()
    {
        var result = _judge.Score(
            [M("a", MetricClassification.High, "latency", "errors"), M("b", MetricClassification.Pass, "errors")]);

        result.Groups.Single(g => g.Name == "latency").Score.Should().Be(0);
        result.Groups.Single(g => g.Name == "errors").Score.Should().Be(50);
        result.Score.Should().Be(25);
    }

    [Fact]
    public void Score_MetricWithoutGroup_ScoresInDefaultGroup()
    {
        var result = _judge.Score([M("a", MetricClassification.Pass)]);

        result.Groups.Should().ContainSingle().Which.Name.Should().Be(CanaryJudge.DefaultGroup);
    }

    [Fact]
    public void Score_MutedMetric_IsDroppedButReported()
    {
        var muted = M("a", MetricClassification.High) with { Muted = true, Critical = true };

        var result = _judge.Score([muted, M("b", MetricClassification.Pass)]);

        result.Score.Should().Be(100);
        result.Metrics.Should().HaveCount(2);
    }

    [Fact]
    public void Score_CriticalMetricNotPass_ForcesZero()
    {
        var critical = M("errors", MetricClassification.High) with { Critical = true };
        var passes = Enumerable.Range(0, 9).Select(i => M($"m{i}", MetricClassification.Pass));

        var result = _judge.Score([.. passes, critical]);

        result.Score.Should().Be(0);
        result.Verdict.Should().Be(JudgeVerdict.Fail);
        result.Reason.Should().Contain("errors");
    }

    [Fact]
    public void Score_CriticalNoData_ForcesZero()
    {
        var critical = M("errors", MetricClassification.NoData) with { Critical = true };

        var result = _judge.Score([M("a", MetricClassification.Pass), M("b", MetricClassification.Pass), critical]);

        result.Score.Should().Be(0);
    }

    [Fact]
    public void Score_NoDataInHalfTheMetrics_ForcesZero()
    {
        var result = _judge.Score(
        [
            M("a", MetricClassification.Pass), M("b", MetricClassification.Pass),
            M("c", MetricClassification.NoData), M("d", MetricClassification.NoData),
        ]);

        result.Score.Should().Be(0);
        result.Reason.Should().Contain("2 of 4");
    }

    [Fact]
    public void Score_NoDataInFewerThanHalf_DoesNotForceZero()
    {
        var result = _judge.Score(
            [M("a", MetricClassification.Pass), M("b", MetricClassification.Pass), M("c", MetricClassification.NoData)]);

        result.Score.Should().Be(100);
    }

    [Fact]
    public void Score_RoundsHalfUpToTwoDecimals()
    {
        var result = _judge.Score(
            [M("a", MetricClassification.Pass), M("b", MetricClassification.Pass), M("c", MetricClassification.Low)]);

        result.Score.Should().Be(66.67);
    }

    [Theory]
    [InlineData(19, 1, JudgeVerdict.Pass)]
    [InlineData(3, 1, JudgeVerdict.Marginal)]
    [InlineData(1, 1, JudgeVerdict.Fail)]
    public void Score_ClassifiesAgainstThresholds(int passes, int failures, JudgeVerdict expected)
    {
        // 19/20 = 95 (exactly the pass threshold), 3/4 = 75 (exactly marginal), 1/2 = 50.
        var metrics = Enumerable.Range(0, passes).Select(i => M($"p{i}", MetricClassification.Pass))
            .Concat(Enumerable.Range(0, failures).Select(i => M($"f{i}", MetricClassification.High)));

        var result = _judge.Score(metrics.ToArray());

        result.Verdict.Should().Be(expected);
    }

    [Fact]
    public void Score_NoMetrics_FailsWithReason()
    {
        var result = _judge.Score([]);

        result.Score.Should().Be(0);
        result.Verdict.Should().Be(JudgeVerdict.Fail);
        result.Reason.Should().NotBeNull();
    }

    [Fact]
    public void Judge_RegressedLatencyAmongHealthyMetrics_ScoresByGroup()
    {
        var random = new Random(7);
        double[] Sample(double centre) => Enumerable.Range(0, 60).Select(_ => centre + (random.NextDouble() * 10)).ToArray();
        var judge = new CanaryJudge(new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["latency"] = 50 } });

        var result = judge.Judge(
        [
            new(new MetricJudgeConfig { Name = "p50", Groups = ["latency"], Direction = MetricDirection.Increase }, Sample(130), Sample(100)),
            new(new MetricJudgeConfig { Name = "p99", Groups = ["latency"], Direction = MetricDirection.Increase }, Sample(300), Sample(300)),
            new(new MetricJudgeConfig { Name = "errors", Groups = ["errors"], Direction = MetricDirection.Increase }, Sample(1), Sample(1)),
        ]);

        result.Metrics.Select(m => m.Classification).Should().Equal(
            MetricClassification.High, MetricClassification.Pass, MetricClassification.Pass);
        result.Score.Should().Be(75);
        result.Verdict.Should().Be(JudgeVerdict.Marginal);
    }

    private static MetricJudgement M(string name, MetricClassification classification, params string[] groups) =>
        new(name, classification, false, null, 1, 1, null, 10, 10) { Groups = groups };
}
