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
}
