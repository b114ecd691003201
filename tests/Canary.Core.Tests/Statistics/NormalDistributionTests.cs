using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

// Reference values from Python's statistics.NormalDist and math.erfc (an independent implementation).
public sealed class NormalDistributionTests
{
    [Theory]
    [InlineData(-1.96, 0.024997895148220428)]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(2.5, 0.9937903346742238)]
    public void Cdf_KnownPoints_MatchesReference(double x, double expected)
    {
        NormalDistribution.Cdf(x).Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(5.0, 2.866515718791946e-07)]
    [InlineData(10.0, 7.619853024160593e-24)]
    [InlineData(20.0, 2.7536241186063314e-89)]
    [InlineData(37.0, 5.725571222525139e-300)]
    public void UpperTail_FarTail_KeepsRelativeAccuracy(double x, double expected)
    {
        (NormalDistribution.UpperTail(x) / expected).Should().BeApproximately(1, 1e-12);
    }

    [Theory]
    [InlineData(0.975, 1.9599639845400536)]
    [InlineData(0.99, 2.3263478740408408)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.01, -2.3263478740408408)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.8, 0.8416212335729144)]
    public void Quantile_KnownProbabilities_MatchesReference(double p, double expected)
    {
        NormalDistribution.Quantile(p).Should().BeApproximately(expected, 1e-13);
    }

    [Fact]
    public void Quantile_OutsideZeroToOne_Throws()
    {
        var act = () => NormalDistribution.Quantile(1.5);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("p");
    }
}
