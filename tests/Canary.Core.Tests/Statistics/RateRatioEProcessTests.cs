using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

public sealed class RateRatioEProcessTests
{
    [Fact]
    public void Constructor_SavedRatios_ContinuesAsIfNeverStopped()
    {
        var uninterrupted = new RateRatioEProcess(1.5, alternativesAbove: true);
        uninterrupted.Update(100, 3, 1900, 10);
        uninterrupted.Update(120, 4, 1880, 9);
        var saved = uninterrupted.LogLikelihoodRatios;
        uninterrupted.Update(150, 5, 1850, 11);

        var restored = new RateRatioEProcess(1.5, alternativesAbove: true, saved);
        restored.Update(150, 5, 1850, 11);

        restored.LogEValue.Should().Be(uninterrupted.LogEValue);
        restored.LogLikelihoodRatios.Should().Equal(uninterrupted.LogLikelihoodRatios);
    }

    [Fact]
    public void Constructor_NoSavedRatios_StartsAtOne()
    {
        var process = new RateRatioEProcess(1.5, alternativesAbove: false, []);

        process.LogEValue.Should().Be(0);
    }

    [Fact]
    public void Constructor_WrongNumberOfRatios_ThrowsNamingTheParameter()
    {
        var act = () => new RateRatioEProcess(1.5, alternativesAbove: true, [0.1, 0.2]);

        act.Should().Throw<ArgumentException>().WithParameterName("logLikelihoodRatios");
    }

    [Theory]
    [InlineData(1.5, false, 17)]
    [InlineData(1.5, true, 16)]
    [InlineData(1.0, false, 16)]
    public void Components_ByNullAndDirection_AddsEqualRatesOnlyBelowANullAboveOne(double nullRatio, bool alternativesAbove, int expected) =>
        RateRatioEProcess.Components(nullRatio, alternativesAbove).Should().Be(expected);

    [Fact]
    public void Update_EqualRates_EValueIsAtLeastHalfTheEqualRatesLikelihoodRatio()
    {
        var process = new RateRatioEProcess(1.5, alternativesAbove: false);

        process.Update(1000, 5, 1000, 5);

        // ρ = 1 against ρ₀ = 1.5 with share 1: (1/1.5)^5 · (2.5/2)^10, weighted by one half.
        var equalRates = (5 * Math.Log(1 / 1.5)) + (10 * Math.Log(2.5 / 2));
        process.LogEValue.Should().BeGreaterThanOrEqualTo(Math.Log(RateRatioEProcess.EqualRatesWeight) + equalRates - 1e-12);
        process.LogLikelihoodRatios.Should().HaveCount(17);
    }

    [Fact]
    public void Constructor_SavedPromotionRatiosWithEqualRates_ContinuesAsIfNeverStopped()
    {
        var uninterrupted = new RateRatioEProcess(1.5, alternativesAbove: false);
        uninterrupted.Update(100, 0, 1900, 10);
        var saved = uninterrupted.LogLikelihoodRatios;
        uninterrupted.Update(150, 1, 1850, 11);

        var restored = new RateRatioEProcess(1.5, alternativesAbove: false, saved);
        restored.Update(150, 1, 1850, 11);

        restored.LogEValue.Should().Be(uninterrupted.LogEValue);
    }
}
