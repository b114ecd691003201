using System.Diagnostics;
using System.Globalization;
using System.Text;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Benchmarks.Detection;

/// <summary>
/// How fast each policy catches a bad canary and promotes a good one: Flagger's fixed-threshold policy (our engine
/// with a plain Flagger spec) against the sequential judge, on the same seeded simulated traffic. Prints a markdown
/// report.
/// </summary>
internal static class DetectionBenchmark
{
    private static readonly WorkloadBehavior Primary = new(0.005, TimeSpan.FromMilliseconds(50));

    private static readonly DetectionScenario[] Scenarios =
    [
        new("healthy (0.5% errors, 50 ms)", Primary, IsRegression: false),
        new("2% errors", Primary with { ErrorRate = 0.02 }, IsRegression: true),
        new("5% errors", Primary with { ErrorRate = 0.05 }, IsRegression: true),
        new("20% errors", Primary with { ErrorRate = 0.20 }, IsRegression: true),
        new("latency +50% (75 ms median)", Primary with { Latency = TimeSpan.FromMilliseconds(75) }, IsRegression: true),
    ];

    /// <summary>Flagger's fixed-threshold policy: 5% steps to 50%, one-minute checks, rollback at the fifth failed check.</summary>
    public static DetectionPolicy Flagger { get; } = new("fixed thresholds (Flagger)", Schedule() with
    {
        Metrics =
        [
            new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new(Min: 99), Interval = TimeSpan.FromMinutes(1) },
            new MetricCheck { Name = BuiltinMetrics.RequestDuration, ThresholdRange = new(Max: 120), Interval = TimeSpan.FromMinutes(1) },
        ],
    });

    /// <summary>The sequential judge with its defaults, on the same schedule and without threshold metrics.</summary>
    public static DetectionPolicy Sequential { get; } = new("sequential judge", Schedule() with { Judge = new JudgeSpec() });

    /// <summary>The sequential judge that promotes only on its acceptance, never at the end of the schedule alone.</summary>
    public static DetectionPolicy SequentialRequiringAcceptance { get; } =
        new("sequential judge, requireAcceptance", Schedule() with { Judge = new JudgeSpec { RequireAcceptance = true } });

    private static DetectionPolicy[] Policies => [Flagger, Sequential, SequentialRequiringAcceptance];

    public static async Task RunAsync(string[] args)
    {
        var rollouts = Option(args, "--rollouts", 200);
        var rates = args.Contains("--rps") ? [Option(args, "--rps", 20)] : new[] { 20, 200 };
        var wall = Stopwatch.StartNew();
        var report = new StringBuilder();
        var judge = new JudgeSpec();
        InformationBound.Write(report, Primary.ErrorRate, judge.MaxErrorRatio, judge.FalseRollbackRate, judge.FalsePromotionRate);
        foreach (var rps in rates)
        {
            var runs = rps > 20 ? Math.Max(1, rollouts / 2) : rollouts;
            var results = new List<DetectionStats>();
            foreach (var scenario in Scenarios)
            {
                foreach (var policy in Policies)
                {
                    results.Add(new DetectionStats(scenario, policy, await RolloutsAsync(scenario, policy, rps, runs)));
                }
            }

            Write(report, rps, runs, results);
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"_{wall.Elapsed.TotalSeconds:0} s on {Environment.ProcessorCount} cores._");
        Console.Write(report);
    }

    /// <summary>Rolls the scenario's canary out once per seed (1, 2, …); each rollout has its own world, so they run in parallel and still replay exactly.</summary>
    public static async Task<RolloutOutcome[]> RolloutsAsync(DetectionScenario scenario, DetectionPolicy policy, double requestsPerSecond, int rollouts)
    {
        var outcomes = new RolloutOutcome[rollouts];
        await Parallel.ForEachAsync(Enumerable.Range(0, rollouts), async (i, ct) =>
        {
            var options = new CanarySimulationOptions
            {
                Primary = Primary,
                Canary = scenario.Canary,
                Traffic = new SimulatedTrafficOptions { RequestsPerSecond = requestsPerSecond, Seed = i + 1, Retention = TimeSpan.FromMinutes(2) },
                MaxDuration = TimeSpan.FromHours(2),
            };
            var result = await new CanarySimulation(policy.Canary(), options: options).RunAsync(ct);
            outcomes[i] = new RolloutOutcome(result.Promoted, result.RolledBack, result.Traffic.CanaryRequests, result.Duration);
        });
        return outcomes;
    }

    private static AnalysisSpec Schedule() => new()
    {
        Interval = TimeSpan.FromMinutes(1),
        Threshold = 5,
        StepWeight = 5,
        MaxWeight = 50,
    };

    private static void Write(StringBuilder report, int rps, int runs, List<DetectionStats> results)
    {
        var c = CultureInfo.InvariantCulture;
        report.AppendLine(c, $"### {rps} requests per second, {runs} seeded rollouts per row (seeds 1–{runs})");
        report.AppendLine();
        report.AppendLine("| Scenario | Policy | Rolled back | Promoted | Canary requests before rollback (mean / median) | Minutes to promote (mean / median) |");
        report.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var stats in results)
        {
            var requests = stats.RequestsBeforeRollback;
            var minutes = stats.MinutesToPromote;
            report.AppendLine(c,
                $"| {stats.Scenario.Name} | {stats.Policy.Name} | {stats.RolledBackShare:0.0%} | {stats.PromotedShare:0.0%} | {Pair(DetectionStats.Mean(requests), DetectionStats.Median(requests), "0")} | {Pair(DetectionStats.Mean(minutes), DetectionStats.Median(minutes), "0.0")} |");
        }

        report.AppendLine();
        report.AppendLine("| Against the targets | Fixed thresholds | Sequential judge | Sequential, requireAcceptance |");
        report.AppendLine("|---|---:|---:|---:|");
        foreach (var scenario in results.Select(r => r.Scenario).Distinct())
        {
            var fixedStats = results.Single(r => r.Scenario == scenario && r.Policy == Flagger);
            var sequential = results.Single(r => r.Scenario == scenario && r.Policy == Sequential);
            var accepting = results.Single(r => r.Scenario == scenario && r.Policy == SequentialRequiringAcceptance);
            if (scenario.IsRegression)
            {
                var a = DetectionStats.Mean(fixedStats.RequestsBeforeRollback);
                report.AppendLine(c,
                    $"| {scenario.Name}: mean canary requests before rollback (target ≥ 5× fewer) | {a:0} | {Fewer(a, sequential)} | {Fewer(a, accepting)} |");
                report.AppendLine(c, $"| {scenario.Name}: promoted anyway | {fixedStats.PromotedShare:0.0%} | {sequential.PromotedShare:0.0%} | {accepting.PromotedShare:0.0%} |");
            }
            else
            {
                var a = DetectionStats.Mean(fixedStats.MinutesToPromote);
                report.AppendLine(c,
                    $"| {scenario.Name}: false rollbacks (target ≤ fixed and ≤ 1%) | {fixedStats.RolledBackShare:0.0%} | {sequential.RolledBackShare:0.0%} | {accepting.RolledBackShare:0.0%} |");
                report.AppendLine(c,
                    $"| {scenario.Name}: mean minutes to promote (target ≥ 2× faster) | {a:0.0} | {Faster(a, sequential)} | {Faster(a, accepting)} |");
            }
        }

        report.AppendLine();
    }

    private static string Fewer(double fixedMean, DetectionStats stats)
    {
        var mean = DetectionStats.Mean(stats.RequestsBeforeRollback);
        return string.Create(CultureInfo.InvariantCulture, $"{mean:0} ({fixedMean / mean:0.0}× fewer)");
    }

    private static string Faster(double fixedMean, DetectionStats stats)
    {
        var mean = DetectionStats.Mean(stats.MinutesToPromote);
        return string.Create(CultureInfo.InvariantCulture, $"{mean:0.0} ({fixedMean / mean:0.00}× faster)");
    }

    private static string Pair(double mean, double median, string format) =>
        double.IsNaN(mean) ? "–" : $"{mean.ToString(format, CultureInfo.InvariantCulture)} / {median.ToString(format, CultureInfo.InvariantCulture)}";

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
