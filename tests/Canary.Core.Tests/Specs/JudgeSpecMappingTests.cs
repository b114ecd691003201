using Canary.Model;
using Canary.Specs;
using static Canary.Core.Tests.Specs.CanaryManifestReaderMappingTests;

namespace Canary.Core.Tests.Specs;

public sealed class JudgeSpecMappingTests
{
    [Fact]
    public void Read_JudgeWithEveryField_MapsThem()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: """
            stepWeight: 10
                baseline: true
                judge:
                  type: sequential
                  falseRollbackRate: 0.02
                  falsePromotionRate: 0.1
                  maxErrorRatio: 2
                  maxLatencyRatio: 1.3
                  latencyQuantiles: [0.5, 0.95]
                  minRequests: 200
                  promoteEarly: false
                  requireAcceptance: true
                  lookInterval: 15s
            """));

        result.Errors.Should().BeEmpty();
        var analysis = result.Manifest!.Canaries.Should().ContainSingle().Subject.Spec.Analysis;
        analysis.Baseline.Should().BeTrue();
        analysis.Judge.Should().BeEquivalentTo(new JudgeSpec
        {
            Type = JudgeType.Sequential,
            FalseRollbackRate = 0.02,
            FalsePromotionRate = 0.1,
            MaxErrorRatio = 2,
            MaxLatencyRatio = 1.3,
            LatencyQuantiles = [0.5, 0.95],
            MinRequests = 200,
            PromoteEarly = false,
            RequireAcceptance = true,
            LookInterval = TimeSpan.FromSeconds(15),
        }, o => o.ComparingRecordsByMembers().WithStrictOrdering());
    }

    [Fact]
    public void Read_JudgeWithTypeOnly_KeepsTheDefaults()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: sequential}"));

        result.Errors.Should().BeEmpty();
        var analysis = result.Manifest!.Canaries[0].Spec.Analysis;
        analysis.Judge.Should().BeEquivalentTo(new JudgeSpec(), o => o.ComparingRecordsByMembers().WithStrictOrdering());
        analysis.Baseline.Should().BeFalse();
    }

    [Fact]
    public void Read_NoJudge_HasNone()
    {
        var result = CanaryManifestReader.Read(CanaryWith());

        result.Manifest!.Canaries[0].Spec.Analysis.Judge.Should().BeNull();
    }

    [Fact]
    public void Read_EmptyLatencyQuantiles_ComparesErrorsOnly()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: sequential, latencyQuantiles: []}"));

        result.Manifest!.Canaries[0].Spec.Analysis.Judge!.LatencyQuantiles.Should().BeEmpty();
    }

    [Fact]
    public void Read_UnknownJudgeType_NamesTheKnownTypes()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: bayesian}"));

        result.Errors.Should().ContainSingle().Which.Should().Match<Canary.Validation.ValidationError>(e =>
            e.Path == "spec.analysis.judge.type" && e.Message == "\"bayesian\" is not a known judge type (known: sequential, kayenta)");
    }

    [Fact]
    public void Read_JudgeWithoutType_ReportsType()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {maxErrorRatio: 2}"));

        result.Errors.Should().ContainSingle().Which.Should().Match<Canary.Validation.ValidationError>(e =>
            e.Path == "spec.analysis.judge.type" && e.Message == "is required");
    }

    [Fact]
    public void Read_QuantileThatIsNotANumber_ReportsItsItem()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    judge: {type: sequential, latencyQuantiles: [0.5, p99]}"));

        result.Errors.Should().ContainSingle().Which.Should().Match<Canary.Validation.ValidationError>(e =>
            e.Path == "spec.analysis.judge.latencyQuantiles[1]" && e.Message == "must be a number");
    }
}
