using Canary.Engine;
using Canary.Model;

namespace Canary.Core.Tests.Engine;

public class WeightScheduleTests
{
    [Fact]
    public void WeightAt_StepWeight_IncrementsUpToMaxWeight()
    {
        var analysis = new AnalysisSpec { StepWeight = 5, MaxWeight = 50 };

        var weights = Enumerable.Range(1, WeightSchedule.StepCount(analysis)).Select(step => WeightSchedule.WeightAt(analysis, step));

        weights.Should().Equal(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
    }

    [Fact]
    public void WeightAt_StepWeightNotDividingMax_EndsAtMaxWeight()
    {
        var analysis = new AnalysisSpec { StepWeight = 30 };

        var weights = Enumerable.Range(1, WeightSchedule.StepCount(analysis)).Select(step => WeightSchedule.WeightAt(analysis, step));

        weights.Should().Equal(30, 60, 90, 100);
    }

    [Fact]
    public void WeightAt_StepWeights_FollowsTheLadder()
    {
        var analysis = new AnalysisSpec { StepWeights = [1, 2, 10, 80] };

        var weights = Enumerable.Range(1, WeightSchedule.StepCount(analysis)).Select(step => WeightSchedule.WeightAt(analysis, step));

        weights.Should().Equal(1, 2, 10, 80);
    }

    [Fact]
    public void WeightAt_StepWeightsBeyondMaxWeight_CapsAtMaxWeight()
    {
        var analysis = new AnalysisSpec { StepWeights = [1, 2, 10, 80], MaxWeight = 50 };

        var weights = Enumerable.Range(1, WeightSchedule.StepCount(analysis)).Select(step => WeightSchedule.WeightAt(analysis, step));

        weights.Should().Equal(1, 2, 10, 50);
    }

    [Fact]
    public void WeightAt_StepZero_IsNoTraffic()
    {
        WeightSchedule.WeightAt(new AnalysisSpec { StepWeight = 10 }, 0).Should().Be(0);
    }
}
