using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Reports;

/// <summary>
/// A rollout's events read as series a chart can draw: the weight's changes, the phases, the check rounds, each
/// metric's values, the gates, and the decision.
/// </summary>
internal sealed class RolloutTimeline
{
    private const int MaxCauses = 3;

    private RolloutTimeline(RolloutReport report)
    {
        var events = report.Events;
        Interval = report.Canary.Spec.Analysis.Interval > TimeSpan.Zero ? report.Canary.Spec.Analysis.Interval : AnalysisSpec.DefaultInterval;
        Start = events.Count > 0 ? events[0].Time : DateTimeOffset.UnixEpoch;
        var last = events.Count > 0 ? events[^1].Time : Start;
        End = last > Start ? last : Start + Interval;
        RolloutStart = events.FirstOrDefault(e => e.Type == CanaryEventType.NewRevision)?.Time ?? Start;
        WeightChanges = ReadWeightChanges(events);
        IterationChanges = ReadIterationChanges(events);
        Iterations = report.Canary.Spec.Analysis.Iterations ?? 0;
        CountsIterations = report.Canary.Spec.Analysis.Strategy != DeploymentStrategy.Canary && WeightChanges.All(c => !c.IsStep);
        Phases = ReadPhases(events, End);
        CheckRounds = ReadCheckRounds(events);
        Gates = ReadGates(events, Interval, End);
        Metrics = ReadMetrics(report.Canary.Spec.Analysis.Metrics, events);
        Decision = Decide(report, events);
        PeakWeight = events.Count == 0 ? 0 : events.Max(e => e.Weight);
        FailedChecks = events.Count == 0 ? 0 : events[^1].FailedChecks;
    }

    /// <summary>Gets the time of the first event: the left edge of every chart.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets the time of the last event: the right edge of every chart.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Gets when the new revision was detected, which is when the rollout proper began.</summary>
    public DateTimeOffset RolloutStart { get; }

    /// <summary>Gets the analysis interval.</summary>
    public TimeSpan Interval { get; }

    public IReadOnlyList<WeightChange> WeightChanges { get; }

    /// <summary>Gets the iterations of an A/B or blue/green rollout, as changes of the count of passed iterations.</summary>
    public IReadOnlyList<WeightChange> IterationChanges { get; }

    /// <summary>Gets the iterations the spec asks for, or 0.</summary>
    public int Iterations { get; }

    /// <summary>Gets a value indicating whether progress is counted in iterations (A/B, blue/green) rather than weight steps.</summary>
    public bool CountsIterations { get; }

    public IReadOnlyList<PhaseSpan> Phases { get; }

    public IReadOnlyList<CheckRound> CheckRounds { get; }

    public IReadOnlyList<GateMark> Gates { get; }

    public IReadOnlyList<MetricSeries> Metrics { get; }

    public RolloutDecision Decision { get; }

    public int PeakWeight { get; }

    /// <summary>Gets the run's failed checks at the end.</summary>
    public int FailedChecks { get; }

    /// <summary>Gets the number of times the weight went up a step.</summary>
    public int Steps => WeightChanges.Count(c => c.IsStep);

    public static RolloutTimeline From(RolloutReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new RolloutTimeline(report);
    }

    private static bool IsMetricCheck(CanaryEvent e) =>
        e.Webhook is null && e.Type is CanaryEventType.CheckPassed or CanaryEventType.CheckFailed or CanaryEventType.CheckHeld;

    private static List<WeightChange> ReadWeightChanges(IReadOnlyList<CanaryEvent> events)
    {
        // Every WeightAdvanced event is a step even if it repeats the weight, so the steps drawn are the steps taken.
        var changes = new List<WeightChange>();
        var weight = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Type == CanaryEventType.WeightAdvanced || e.Weight != weight)
            {
                changes.Add(new WeightChange(e.Time, weight, e.Weight, e.Type, i));
                weight = e.Weight;
            }
        }

        return changes;
    }

    private static List<WeightChange> ReadIterationChanges(IReadOnlyList<CanaryEvent> events)
    {
        // The count starts over when the analysis does, as the engine's own iteration counter does.
        var changes = new List<WeightChange>();
        var count = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var next = e.Type switch
            {
                CanaryEventType.IterationAdvanced => count + 1,
                CanaryEventType.AnalysisRestarted or CanaryEventType.RolledBack => 0,
                _ => count,
            };
            if (next != count || e.Type == CanaryEventType.IterationAdvanced)
            {
                changes.Add(new WeightChange(e.Time, count, next, e.Type, i));
                count = next;
            }
        }

        return changes;
    }

    private static List<PhaseSpan> ReadPhases(IReadOnlyList<CanaryEvent> events, DateTimeOffset end)
    {
        var spans = new List<PhaseSpan>();
        for (var i = 0; i < events.Count; i++)
        {
            if (spans.Count > 0 && spans[^1].Phase == events[i].Phase)
            {
                continue;
            }

            if (spans.Count > 0)
            {
                spans[^1] = spans[^1] with { End = events[i].Time };
            }

            spans.Add(new PhaseSpan(events[i].Time, end, events[i].Phase));
        }

        return spans;
    }

    private static List<CheckRound> ReadCheckRounds(IReadOnlyList<CanaryEvent> events)
    {
        var rounds = new List<CheckRound>();
        for (var i = 0; i < events.Count;)
        {
            if (!IsMetricCheck(events[i]))
            {
                i++;
                continue;
            }

            var time = events[i].Time;
            var first = i;
            int passed = 0, failed = 0, held = 0;
            var messages = new List<string>();
            for (; i < events.Count && events[i].Time == time; i++)
            {
                var e = events[i];
                if (!IsMetricCheck(e))
                {
                    continue;
                }

                messages.Add(e.Message);
                switch (e.Type)
                {
                    case CanaryEventType.CheckPassed: passed++; break;
                    case CanaryEventType.CheckFailed: failed++; break;
                    default: held++; break;
                }
            }

            rounds.Add(new CheckRound(time, passed, failed, held, messages, first));
        }

        return rounds;
    }

    private static List<GateMark> ReadGates(IReadOnlyList<CanaryEvent> events, TimeSpan interval, DateTimeOffset end)
    {
        // A closed gate repeats its Waiting event at every step, between check rounds that may fail; it is drawn as one
        // span until the canary moves on (or gives up), so that a long wait reads as one wait.
        var marks = new List<GateMark>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            switch (e.Type)
            {
                case CanaryEventType.Waiting:
                    var gate = e.Webhook ?? "confirm gate";
                    var spanEnd = Min(e.Time + interval, end);
                    if (open.TryGetValue(gate, out var index))
                    {
                        marks[index] = marks[index] with { End = spanEnd, Count = marks[index].Count + 1, Message = e.Message };
                    }
                    else
                    {
                        open[gate] = marks.Count;
                        marks.Add(new GateMark(e.Time, spanEnd, GateMarkKind.Waiting, gate, e.Message, 1, i));
                    }

                    break;
                case CanaryEventType.CheckFailed when e.Webhook is not null:
                    marks.Add(new GateMark(e.Time, e.Time, GateMarkKind.WebhookFailed, e.Webhook, e.Message, 1, i));
                    break;
                case CanaryEventType.WeightAdvanced or CanaryEventType.IterationAdvanced or CanaryEventType.PromotionStarted
                    or CanaryEventType.TrafficShifted or CanaryEventType.RollingBack or CanaryEventType.RolledBack
                    or CanaryEventType.Promoted or CanaryEventType.AnalysisRestarted:
                    foreach (var waiting in open.Values)
                    {
                        marks[waiting] = marks[waiting] with { End = Min(marks[waiting].End, e.Time) };
                    }

                    open.Clear();
                    break;
            }
        }

        return marks;
    }

    private static List<MetricSeries> ReadMetrics(IReadOnlyList<MetricCheck> checks, IReadOnlyList<CanaryEvent> events)
    {
        var names = checks.Select(c => c.Name).ToList();
        foreach (var e in events.Where(IsMetricCheck))
        {
            if (e.Metric is { } metric && !names.Contains(metric, StringComparer.Ordinal))
            {
                names.Add(metric);
            }
        }

        var series = new List<MetricSeries>();
        foreach (var name in names)
        {
            var points = new List<MetricPoint>();
            ThresholdRange? threshold = checks.FirstOrDefault(c => c.Name == name)?.ThresholdRange;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (IsMetricCheck(e) && e.Metric == name)
                {
                    var value = e.Value is { } v && double.IsFinite(v) ? v : (double?)null;
                    points.Add(new MetricPoint(e.Time, value, e.Type == CanaryEventType.CheckPassed, e.Message, i));
                    threshold = e.Threshold ?? threshold;
                }
            }

            if (threshold is { Min: null, Max: null })
            {
                threshold = null;
            }

            series.Add(new MetricSeries(name, threshold, UnitOf(name), points));
        }

        return series;
    }

    private static string UnitOf(string metric) => metric switch
    {
        BuiltinMetrics.RequestSuccessRate => "%",
        BuiltinMetrics.RequestDuration => "ms",
        _ => string.Empty,
    };

    private static RolloutDecision Decide(RolloutReport report, IReadOnlyList<CanaryEvent> events)
    {
        int LastIndexOf(CanaryEventType type)
        {
            for (var i = events.Count - 1; i >= 0; i--)
            {
                if (events[i].Type == type)
                {
                    return i;
                }
            }

            return -1;
        }

        switch (report.FinalPhase)
        {
            case CanaryPhase.Succeeded:
                var promoted = LastIndexOf(CanaryEventType.Promoted);
                return new RolloutDecision(
                    RolloutOutcome.Promoted,
                    "Promoted",
                    promoted >= 0 ? events[promoted].Message : "The new revision was promoted.",
                    [],
                    promoted >= 0 ? events[promoted].Time : null,
                    promoted);
            case CanaryPhase.Failed:
                var rollingBack = LastIndexOf(CanaryEventType.RollingBack);
                var deciding = rollingBack >= 0 ? rollingBack : LastIndexOf(CanaryEventType.RolledBack);
                var causes = events
                    .Take(deciding >= 0 ? deciding : events.Count)
                    .Where(e => e.Type == CanaryEventType.CheckFailed)
                    .Select(e => e.Message)
                    .Reverse()
                    .Distinct(StringComparer.Ordinal)
                    .Take(MaxCauses)
                    .Reverse()
                    .ToList();
                return new RolloutDecision(
                    RolloutOutcome.RolledBack,
                    "Rolled back",
                    deciding >= 0 ? events[deciding].Message : "The new revision was rolled back.",
                    causes,
                    deciding >= 0 ? events[deciding].Time : null,
                    deciding);
            default:
                var reason = events.Count > 0
                    ? $"The rollout was still {report.FinalPhase} when it stopped being watched. Last event: {events[^1].Message}"
                    : "No event was recorded.";
                return new RolloutDecision(RolloutOutcome.Unfinished, "Not finished", reason, [], null, -1);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
