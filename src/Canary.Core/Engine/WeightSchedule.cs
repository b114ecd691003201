using Canary.Model;

namespace Canary.Engine;

/// <summary>
/// The canary weights of a progressive rollout, indexed by step: <c>stepWeight</c> increments or the
/// <c>stepWeights</c> ladder, capped at <c>maxWeight</c>. Indexing by step rather than by routed weight keeps a rollout
/// moving when a router can only approximate a weight (a replica ratio rounds 5% down to 0%).
/// </summary>
internal static class WeightSchedule
{
    /// <summary>Returns how many weight steps lead from zero to the promotion weight.</summary>
    public static int StepCount(AnalysisSpec analysis)
    {
        var max = analysis.EffectiveMaxWeight;
        if (analysis.StepWeight is > 0 and var stepWeight)
        {
            return (max + stepWeight - 1) / stepWeight;
        }

        var steps = 0;
        foreach (var weight in analysis.StepWeights)
        {
            steps++;
            if (weight >= max)
            {
                break;
            }
        }

        return steps;
    }

    /// <summary>Returns the weight requested at a step (1 is the first step; 0 is no traffic).</summary>
    public static int WeightAt(AnalysisSpec analysis, int step)
    {
        if (step <= 0)
        {
            return 0;
        }

        var max = analysis.EffectiveMaxWeight;
        step = Math.Min(step, StepCount(analysis));
        var weight = analysis.StepWeight is > 0 and var stepWeight ? step * stepWeight : analysis.StepWeights[step - 1];
        return Math.Min(weight, max);
    }
}
