using Canary.Statistics;

namespace Canary.Core.Tests.Statistics;

// Expected values come from mann_whitney_reference.py next to this file: an independent Python implementation of
// R's wilcox.test(exact = FALSE, correct = TRUE, conf.int = TRUE) that finds the interval by enumerating all pairwise
// differences rather than by root-finding. Where R's own printed output is known it is cited too.
public sealed class MannWhitneyTestTests
{
    // R ?wilcox.test, Hollander & Wolfe (1973) p. 69.
    private static readonly double[] TermPermeability = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    private static readonly double[] EarlyPermeability = [1.15, 0.88, 0.90, 0.74, 1.21];

    // R datasets::airquality, Ozone in August and May with NAs dropped: many ties within and across samples.
    private static readonly double[] OzoneAugust =
        [39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84, 85];
    private static readonly double[] OzoneMay =
        [41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37];

    [Fact]
    public void Compute_HollanderWolfeExample_MatchesHandComputation()
    {
        // By hand: x's ranks in the pooled 15 values are 1,3,4,7,10,11,12,13,14,15 → rank sum 90, U = 90 − 55 = 35.
        // No ties, so σ = √(10·5·16/12) = √(200/3); z = (35 − 25 − ½)/σ.
        var result = MannWhitneyTest.Compute(TermPermeability, EarlyPermeability);

        result.RankSum.Should().Be(90);
        result.U.Should().Be(35);
        result.Z.Should().BeApproximately(9.5 / Math.Sqrt(200.0 / 3), 1e-12);
        result.PValue.Should().BeApproximately(0.24462360512698345, 1e-12);
    }

    [Fact]
    public void Compute_HollanderWolfeExample_IntervalAndEstimateMatchReference()
    {
        var result = MannWhitneyTest.Compute(TermPermeability, EarlyPermeability, 0.95);

        result.Estimate.Should().BeApproximately(0.305, 1e-12);
        result.ConfidenceInterval.Low.Should().BeApproximately(-0.15, 1e-12);
        result.ConfidenceInterval.High.Should().BeApproximately(0.76, 1e-12);
        result.ConfidenceInterval.Level.Should().Be(0.95);
    }

    [Fact]
    public void Compute_AirqualityOzoneWithTies_MatchesRPrintedOutput()
    {
        // R: wilcox.test(Ozone ~ Month, data = airquality, subset = Month %in% c(5, 8)) prints
        // "W = 127.5, p-value = 0.0001208" (May is x there).
        var result = MannWhitneyTest.Compute(OzoneMay, OzoneAugust);

        result.U.Should().Be(127.5);
        result.Z.Should().BeApproximately(-3.8444810272800702, 1e-12);
        result.PValue.Should().BeApproximately(0.00012080783076873214, 1e-15);
    }

    [Fact]
    public void Compute_AirqualityOzoneWithTies_IntervalAndEstimateMatchReference()
    {
        var result = MannWhitneyTest.Compute(OzoneMay, OzoneAugust, 0.95);

        result.Estimate.Should().Be(-32);
        result.ConfidenceInterval.Low.Should().Be(-53);
        result.ConfidenceInterval.High.Should().Be(-15);
    }

    [Fact]
    public void Compute_KayentaSuiteCase_MatchesKayentaExpectations()
    {
        // Kayenta's MannWhitneySuite: experiment 10..40 against control 1..4 at 95% gives [6, 39] and 22.5.
        var result = MannWhitneyTest.Compute([10.0, 20.0, 30.0, 40.0], [1.0, 2.0, 3.0, 4.0], 0.95);

        result.ConfidenceInterval.Low.Should().Be(6);
        result.ConfidenceInterval.High.Should().Be(39);
        result.Estimate.Should().Be(22.5);
        result.PValue.Should().BeApproximately(0.03038282197657738, 1e-14);
    }

    [Fact]
    public void Compute_HeavyTiesAt98Percent_MatchesReference()
    {
        double[] canary = [3, 4, 4, 5, 5, 5, 6, 6, 7, 9, 12, 5];
        double[] baseline = [2, 3, 3, 4, 4, 4, 5, 5, 6, 3];

        var result = MannWhitneyTest.Compute(canary, baseline, 0.98);

        result.U.Should().Be(94.5);
        result.Z.Should().BeApproximately(2.2868859260013146, 1e-12);
        result.PValue.Should().BeApproximately(0.02220248231170885, 1e-14);
        result.Estimate.Should().Be(2);
        result.ConfidenceInterval.Low.Should().Be(0);
        result.ConfidenceInterval.High.Should().Be(4);
    }

    [Fact]
    public void Compute_SwappedSamples_MirrorsShiftAndKeepsPValue()
    {
        var forward = MannWhitneyTest.Compute(OzoneMay, OzoneAugust);
        var backward = MannWhitneyTest.Compute(OzoneAugust, OzoneMay);

        backward.Estimate.Should().Be(-forward.Estimate);
        backward.ConfidenceInterval.Low.Should().Be(-forward.ConfidenceInterval.High);
        backward.ConfidenceInterval.High.Should().Be(-forward.ConfidenceInterval.Low);
        backward.PValue.Should().BeApproximately(forward.PValue, 1e-15);
        backward.U.Should().Be((OzoneMay.Length * OzoneAugust.Length) - forward.U);
    }

    [Fact]
    public void Compute_OddNumberOfPairs_EstimateIsMedianPairwiseDifference()
    {
        double[] x = [1.5, 7.25, 3.0];
        double[] y = [0.5, 2.0, 10.0];
        var differences = x.SelectMany(a => y.Select(b => a - b)).Order().ToArray();

        var result = MannWhitneyTest.Compute(x, y);

        result.Estimate.Should().Be(differences[4]);
    }

    [Fact]
    public void Compute_OneSampleFarBelow_ReturnsRangeEndsAsR()
    {
        // R's comment example wilcox.test(1, 2:60, conf.int = TRUE): the interval runs to the search range's ends.
        var result = MannWhitneyTest.Compute([1.0], Enumerable.Range(2, 59).Select(i => (double)i).ToArray());

        result.ConfidenceInterval.Low.Should().Be(1 - 60);
        result.ConfidenceInterval.High.Should().Be(1 - 2);
    }

    [Fact]
    public void Compute_BothSamplesConstantButDifferent_GivesExactShift()
    {
        var result = MannWhitneyTest.Compute([5.0, 5.0, 5.0], [3.0, 3.0]);

        result.Estimate.Should().Be(2);
        result.ConfidenceInterval.Low.Should().Be(2);
        result.ConfidenceInterval.High.Should().Be(2);
        result.U.Should().Be(6);
    }

    [Fact]
    public void Compute_AllValuesIdentical_GivesPValueOneAndZeroShift()
    {
        var result = MannWhitneyTest.Compute([4.0, 4.0], [4.0, 4.0, 4.0]);

        result.PValue.Should().Be(1);
        result.Z.Should().Be(0);
        result.Estimate.Should().Be(0);
    }

    [Fact]
    public void PValue_SameAsCompute()
    {
        MannWhitneyTest.PValue(OzoneMay, OzoneAugust)
            .Should().Be(MannWhitneyTest.Compute(OzoneMay, OzoneAugust).PValue);
    }

    [Fact]
    public void Compute_EmptySample_ThrowsNamingIt()
    {
        var act = () => MannWhitneyTest.Compute([1.0], []);

        act.Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("*at least one value*");
    }

    [Fact]
    public void Compute_NaNValue_ThrowsNamingIndex()
    {
        var act = () => MannWhitneyTest.Compute([1.0, double.NaN], [2.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("x").WithMessage("*index 1*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Compute_ConfidenceLevelOutOfRange_Throws(double level)
    {
        var act = () => MannWhitneyTest.Compute([1.0, 2.0], [3.0, 4.0], level);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidenceLevel");
    }

    [Fact]
    public void Compute_CommonLanguageEffectSize_IsShareOfPairsWhereXWins()
    {
        var result = MannWhitneyTest.Compute([1.0, 3.0], [2.0, 3.0]);

        // Pairs (1,2) lose, (1,3) lose, (3,2) win, (3,3) tie: (1 + ½) / 4.
        result.CommonLanguageEffectSize.Should().Be(0.375);
    }
}
