using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

public sealed class ErrorRateSequentialTestTests
{
    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryField()
    {
        var options = new ErrorRateSequentialOptions { FalseRollbackRate = 0, RollbackRatio = 2, PromotionRatio = 3, MinimumCanaryRequests = -1 };

        var act = () => new ErrorRateSequentialTest(options);

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("FalseRollbackRate").And.Contain("PromotionRatio").And.Contain("MinimumCanaryRequests");
    }

    [Fact]
    public void Update_NegativeRequests_ThrowsNamingTheParameter()
    {
        var test = new ErrorRateSequentialTest();

        var act = () => test.Update(-1, 0, 10, 0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("canaryRequests");
    }

    [Fact]
    public void Update_MoreErrorsThanRequests_ThrowsNamingTheParameter()
    {
        var test = new ErrorRateSequentialTest();

        var act = () => test.Update(10, 1, 10, 11);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("baselineErrors");
    }

    [Fact]
    public void Update_NoErrorsAnywhere_KeepsEValuesAtOne()
    {
        var test = new ErrorRateSequentialTest();

        var decision = test.Update(1000, 0, 1000, 0);

        decision.Verdict.Should().Be(SequentialVerdict.Continue);
        decision.RollbackEValue.Should().Be(1);
        decision.PromotionEValue.Should().Be(1);
    }

    [Fact]
    public void Update_ErrorsOnlyOnTheCanary_Rejects()
    {
        // Kayenta's "no data on one side" case: the baseline has no errors at all, the canary many.
        var test = new ErrorRateSequentialTest();

        var decision = test.Update(1000, 15, 1000, 0);

        decision.Verdict.Should().Be(SequentialVerdict.Reject);
        decision.RollbackEValue.Should().BeGreaterThanOrEqualTo(decision.RollbackThreshold);
        decision.Reason.Should().Contain("15/1000");
    }

    [Fact]
    public void Update_OverwhelmingEvidenceBeforeMinimumRequests_Continues()
    {
        var test = new ErrorRateSequentialTest(new ErrorRateSequentialOptions { MinimumCanaryRequests = 5000 });

        var decision = test.Update(1000, 100, 1000, 0);

        decision.Verdict.Should().Be(SequentialVerdict.Continue);
        decision.Reason.Should().Contain("Too few requests");
    }

    [Fact]
    public void Update_IncidentRaisingBothSidesEqually_IsNoEvidenceAgainstTheCanary()
    {
        var test = new ErrorRateSequentialTest();

        var decision = test.Update(1000, 200, 1000, 200);

        decision.Verdict.Should().NotBe(SequentialVerdict.Reject);
        decision.RollbackEValue.Should().BeLessThan(1);
    }

    [Fact]
    public void Update_SmallCanaryShareWithProportionalErrors_IsNoEvidenceAgainstTheCanary()
    {
        // 5% of the traffic and 5% of the errors: the same rate on both sides.
        var test = new ErrorRateSequentialTest();

        var decision = test.Update(500, 25, 9500, 475);

        decision.RollbackEValue.Should().BeLessThan(1);
    }

    [Fact]
    public void Update_SmallCanaryShareWithDoubleItsShareOfErrors_Rejects()
    {
        var test = new ErrorRateSequentialTest();

        var decision = test.Update(500, 75, 9500, 475);

        decision.Verdict.Should().Be(SequentialVerdict.Reject);
    }

    [Fact]
    public void Update_ZeroCanaryTraffic_LeavesEvidenceUnchanged()
    {
        var test = new ErrorRateSequentialTest();
        var before = test.Update(1000, 10, 1000, 10);

        var after = test.Update(0, 0, 1000, 30);

        after.RollbackEValue.Should().Be(before.RollbackEValue);
        after.PromotionEValue.Should().Be(before.PromotionEValue);
        test.BaselineErrors.Should().Be(40);
    }

    [Fact]
    public void Update_AfterReject_StaysRejectedWhenLaterIntervalsLookGood()
    {
        var test = new ErrorRateSequentialTest();
        test.Update(1000, 30, 1000, 0);

        var decision = test.Update(100_000, 0, 100_000, 1000);

        decision.Verdict.Should().Be(SequentialVerdict.Reject);
        test.Intervals.Should().Be(2);
    }

    [Fact]
    public void Update_AfterAccept_RejectStillTakesPrecedence()
    {
        var test = new ErrorRateSequentialTest();
        test.Update(1000, 0, 1000, 30).Verdict.Should().Be(SequentialVerdict.Accept);

        var decision = test.Update(10_000, 2000, 10_000, 10);

        decision.Verdict.Should().Be(SequentialVerdict.Reject);
    }

    [Fact]
    public void Decision_Thresholds_AreReciprocalsOfTheErrorRates()
    {
        var test = new ErrorRateSequentialTest(new ErrorRateSequentialOptions { FalseRollbackRate = 0.01, FalsePromotionRate = 0.1 });

        test.Decision.RollbackThreshold.Should().BeApproximately(100, 1e-9);
        test.Decision.PromotionThreshold.Should().BeApproximately(10, 1e-9);
    }
}
