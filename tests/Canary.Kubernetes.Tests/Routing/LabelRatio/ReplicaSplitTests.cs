using Canary.Kubernetes.Routing.LabelRatio;

namespace Canary.Kubernetes.Tests.Routing.LabelRatio;

public sealed class ReplicaSplitTests
{
    [Theory]
    [InlineData(10, 10, 9, 1, 10)]
    [InlineData(10, 15, 9, 1, 10)]
    [InlineData(10, 5, 10, 0, 0)]
    [InlineData(10, 0, 10, 0, 0)]
    [InlineData(10, 50, 5, 5, 50)]
    [InlineData(10, 100, 0, 10, 100)]
    [InlineData(3, 50, 2, 1, 33)]
    [InlineData(4, 50, 2, 2, 50)]
    [InlineData(7, 30, 5, 2, 28)]
    [InlineData(20, 33, 14, 6, 30)]
    [InlineData(1, 99, 1, 0, 0)]
    [InlineData(1, 100, 0, 1, 100)]
    [InlineData(2, 49, 2, 0, 0)]
    public void ForWeight_Table_GivesReplicasAndRoundedDownShare(int total, int weight, int primary, int canary, int share)
    {
        var split = ReplicaSplit.ForWeight(total, weight);

        split.Should().Be(new ReplicaSplit(primary, canary));
        split.CanaryWeight.Should().Be(share);
    }

    [Fact]
    public void ForWeight_AnyScaleAndWeight_NeverExceedsRequestedWeightAndKeepsTheScale()
    {
        for (var total = 1; total <= 60; total++)
        {
            for (var weight = 0; weight <= 100; weight++)
            {
                var split = ReplicaSplit.ForWeight(total, weight);

                split.CanaryWeight.Should().BeLessThanOrEqualTo(weight, "total {0} at weight {1}", total, weight);
                split.Total.Should().Be(total);
            }
        }
    }

    [Theory]
    [InlineData(10, 20, 3, 18)]
    [InlineData(4, 25, 2, 25)]
    [InlineData(10, 10, 1, 8)]
    [InlineData(10, 0, 0, 0)]
    [InlineData(1, 10, 0, 0)]
    [InlineData(10, 40, 10, 33)]
    [InlineData(10, 50, 10, 33)]
    [InlineData(10, 100, 10, 33)]
    public void ForWeightWithBaseline_Table_GivesCanaryOverStablePlusTwiceCanary(int stable, int weight, int canary, int share)
    {
        var split = ReplicaSplit.ForWeightWithBaseline(stable, weight);

        split.Should().Be(new ReplicaSplit(stable, canary, canary));
        split.CanaryWeight.Should().Be(share);
    }

    [Fact]
    public void ForWeightWithBaseline_AnyScaleAndWeight_NeverExceedsRequestedWeight()
    {
        for (var stable = 1; stable <= 60; stable++)
        {
            for (var weight = 0; weight <= 100; weight++)
            {
                var split = ReplicaSplit.ForWeightWithBaseline(stable, weight);

                split.CanaryWeight.Should().BeLessThanOrEqualTo(weight, "stable {0} at weight {1}", stable, weight);
                (split.Canary * 100L).Should().BeLessThanOrEqualTo(weight * (long)(stable + (2 * split.Canary)));
            }
        }
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, -1)]
    [InlineData(10, 101)]
    public void ForWeight_OutOfRange_Throws(int total, int weight)
    {
        var act = () => ReplicaSplit.ForWeight(total, weight);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
