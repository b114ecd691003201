using System.Globalization;
using Canary.Engine;
using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;
using Xunit.Abstractions;

namespace Canary.Core.Tests.Engine;

/// <summary>
/// A/A runs of the default Kayenta judge: the canary behaves exactly as the primary, so every failed check is a false
/// alarm. Each interval's window is judged by a fixed-sample test, so the chance of some false fail grows with the
/// number of judgements in a run; <c>analysis.threshold</c> is what keeps rollbacks rare.
/// </summary>
public sealed class KayentaIdenticalCanarySimulationTests(ITestOutputHelper output)
{
    private const int Rollouts = 200;

    private static readonly WorkloadBehavior Primary = new(0.005, TimeSpan.FromMilliseconds(50));

    private static CanaryResource Canary(int stepWeight) => new(new CanaryId("podinfo", "test"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
        Provider = TrafficProviders.Nginx,
        Analysis = new AnalysisSpec
        {
            Interval = TimeSpan.FromMinutes(1),
            Threshold = 3,
            StepWeight = stepWeight,
            MaxWeight = 50,
            Judge = new JudgeSpec { Type = JudgeType.Kayenta },
        },
    });

    /// <summary>
    /// Each judgement fails a metric falsely with about 1% chance (one side of a 98% interval), so with three metrics
    /// at most about 3% of judgements fail; a rollback needs three failed checks in a run of five or ten judgements.
    /// </summary>
    [Theory]
    [InlineData(10, 10)]
    [InlineData(100, 10)]
    [InlineData(10, 5)]
    [InlineData(100, 5)]
    public async Task RunAsync_IdenticalCanaryOverManySeeds_RarelyFailsAndRarelyRollsBack(double requestsPerSecond, int stepWeight)
    {
        var outcomes = new List<CanarySimulationResult>();
        for (var seed = 1; seed <= Rollouts; seed++)
        {
            outcomes.Add(await new CanarySimulation(Canary(stepWeight), options: new CanarySimulationOptions
            {
                Primary = Primary,
                Canary = Primary,
                Traffic = new SimulatedTrafficOptions { RequestsPerSecond = requestsPerSecond, Seed = seed, Retention = TimeSpan.FromMinutes(5) },
                MaxDuration = TimeSpan.FromHours(1),
            }).RunAsync());
        }

        var judgements = outcomes.SelectMany(o => o.Events.Where(e => e.Metric == CanaryEngine.KayentaScoreMetric)).ToList();
        var failedJudgements = judgements.Count(e => e.Type == CanaryEventType.CheckFailed);
        var anyFailed = outcomes.Count(o => o.EventsOf(CanaryEventType.CheckFailed).Count > 0);
        var rolledBack = outcomes.Count(o => o.RolledBack);
        var holds = outcomes.Sum(o => o.EventsOf(CanaryEventType.CheckHeld).Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{requestsPerSecond} rps, steps of {stepWeight}%: {judgements.Count} judgements, {failedJudgements} failed ({(double)failedJudgements / judgements.Count:0.0%}); runs with a failed check {anyFailed}/{Rollouts}; rolled back {rolledBack}/{Rollouts}; promoted {outcomes.Count(o => o.Promoted)}; holds {holds}; mean minutes {outcomes.Average(o => o.Duration.TotalMinutes):0.0}"));
        outcomes.Should().OnlyContain(o => o.Promoted || o.RolledBack, "every run ends within the hour");
        failedJudgements.Should().BeLessThanOrEqualTo(judgements.Count * 3 / 100);
        rolledBack.Should().BeLessThanOrEqualTo(Rollouts / 50);
    }
}
