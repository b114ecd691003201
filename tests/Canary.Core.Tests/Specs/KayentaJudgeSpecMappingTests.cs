using Canary.Model;
using Canary.Specs;
using Canary.Statistics;
using Canary.Validation;
using static Canary.Core.Tests.Specs.CanaryManifestReaderMappingTests;

namespace Canary.Core.Tests.Specs;

public sealed class KayentaJudgeSpecMappingTests
{
    [Fact]
    public void Read_KayentaJudgeWithEveryField_MapsThem()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: """
            stepWeight: 10
                judge:
                  type: kayenta
                  lookInterval: 5s
                  scoreThresholds: {pass: 90, marginal: 60}
                  lookbackIntervals: 0
                  maxSlices: 120
                  minRequestsPerSample: 50
                  maxHoldIntervals: 4
                  onMarginal: pause
                  groupWeights: {errors: 70, latency: 30}
                  metrics:
                    - name: error-rate
                      groups: [errors]
                      direction: either
                      critical: true
                      mustHaveData: true
                      effectSize: {allowedIncrease: 1.2, allowedDecrease: 0.8, criticalIncrease: 2, criticalDecrease: 0.5}
                    - name: latency-p99.9
                      groups: [latency]
                      muted: true
                      effectSize: {measure: cles, allowedIncrease: 0.7}
                      outliers: {strategy: remove, outlierFactor: 2.5}
            """));

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries.Should().ContainSingle().Subject.Spec.Analysis.Judge.Should().BeEquivalentTo(new JudgeSpec
        {
            Type = JudgeType.Kayenta,
            LookInterval = TimeSpan.FromSeconds(5),
            ScoreThresholds = new() { Pass = 90, Marginal = 60 },
            LookbackIntervals = 0,
            MaxSlices = 120,
            MinRequestsPerSample = 50,
            MaxHoldIntervals = 4,
            OnMarginal = MarginalAction.Pause,
            GroupWeights = new Dictionary<string, double> { ["errors"] = 70, ["latency"] = 30 },
            Metrics =
            [
                new()
                {
                    Name = "error-rate",
                    Groups = ["errors"],
                    Direction = MetricDirection.Either,
                    Critical = true,
                    MustHaveData = true,
                    EffectSize = new() { AllowedIncrease = 1.2, AllowedDecrease = 0.8, CriticalIncrease = 2, CriticalDecrease = 0.5 },
                },
                new()
                {
                    Name = "latency-p99.9",
                    Groups = ["latency"],
                    Muted = true,
                    EffectSize = new() { Measure = EffectSizeMeasure.Cles, AllowedIncrease = 0.7 },
                    Outliers = new() { Strategy = OutlierStrategy.Remove, Factor = 2.5 },
                },
            ],
        }, o => o.ComparingRecordsByMembers().WithStrictOrdering());
    }

    [Fact]
    public void Read_KayentaJudgeWithTypeOnly_KeepsKayentasDefaults()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: kayenta}"));

        result.Errors.Should().BeEmpty();
        var judge = result.Manifest!.Canaries[0].Spec.Analysis.Judge!;
        judge.ScoreThresholds.Should().Be(new KayentaScoreThresholds { Pass = 95, Marginal = 75 });
        judge.Metrics.Select(m => m.Name).Should().Equal("error-rate", "latency-p50", "latency-p99");
        judge.Metrics.Should().OnlyContain(m => m.Direction == MetricDirection.Increase);
    }

    [Fact]
    public void Read_UnknownDirection_NamesTheKnownOnes()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: kayenta, metrics: [{name: error-rate, direction: up}]}"));

        result.Errors.Should().ContainSingle().Which.Should().Be(
            new ValidationError("spec.analysis.judge.metrics[0].direction", "\"up\" is not a known direction (known: increase, decrease, either)") { Line = result.Errors[0].Line });
    }

    [Fact]
    public void Read_UnknownMarginalAction_NamesTheKnownOnes()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: kayenta, onMarginal: rollback}"));

        result.Errors.Should().ContainSingle().Which.Message.Should().Be("\"rollback\" is not a known marginal action (known: fail, pause)");
    }

    [Fact]
    public void Read_MetricWithoutName_ReportsIt()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: kayenta, metrics: [{critical: true}]}"));

        result.Errors.Should().ContainSingle().Which.Path.Should().Be("spec.analysis.judge.metrics[0].name");
    }
}
