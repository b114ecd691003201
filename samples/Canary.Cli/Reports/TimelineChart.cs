using System.Globalization;
using System.Text;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Reports;

/// <summary>
/// Draws the rollout's timeline as inline SVG: the canary's weight as a step chart (one <c>weight-step</c> element per
/// step, with its weight and time in data attributes), and under it lanes for the phases, the check rounds and the gates,
/// with the decision marked across all of them.
/// </summary>
internal static class TimelineChart
{
    private const double Width = 1140;
    private const double Left = 104;
    private const double Right = Width - 40;
    private const double PlotTop = 34;
    private const double PlotBottom = 250;
    private const double PhaseLane = 286;
    private const double ChecksLane = 316;
    private const double GatesLane = 346;
    private const double Height = 366;
    private const double LaneHeight = 16;

    public static void Write(StringBuilder html, RolloutTimeline timeline, CanarySpec spec)
    {
        var time = new TimeAxis(timeline.Start, timeline.End, Left, Right);
        var iterations = timeline.CountsIterations;
        var maxWeight = spec.Analysis.Strategy == DeploymentStrategy.Canary ? spec.Analysis.EffectiveMaxWeight : 0;
        var top = iterations
            ? Math.Max(1, Math.Max(timeline.Iterations, timeline.IterationChanges.Select(c => c.To).DefaultIfEmpty(0).Max()))
            : Math.Min(100, Math.Max(10, Math.Ceiling((Math.Max(timeline.PeakWeight, maxWeight) + 5) / 10.0) * 10));
        var axis = new ValueAxis(0, top, PlotTop, PlotBottom, targetTicks: 5);
        var unit = iterations ? string.Empty : "%";

        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart timeline\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"timeline-title\" data-progress=\"{(iterations ? "iterations" : "weight")}\" data-steps=\"{(iterations ? timeline.IterationChanges.Count(c => c.Cause == CanaryEventType.IterationAdvanced) : timeline.Steps)}\">");
        html.Append(iterations
            ? "<title id=\"timeline-title\">Passed iterations over time, with phases, checks and gates</title>"
            : "<title id=\"timeline-title\">Canary traffic weight over time, with phases, checks and gates</title>");
        html.Append("<defs><linearGradient id=\"weight-fill\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\"><stop offset=\"0\" stop-color=\"#2563eb\" stop-opacity=\"0.22\"/><stop offset=\"1\" stop-color=\"#2563eb\" stop-opacity=\"0.02\"/></linearGradient></defs>");
        WriteGrid(html, time, axis, unit);
        if (maxWeight > 0)
        {
            var y = axis.Y(maxWeight);
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"max-weight\"><line x1=\"{Left}\" x2=\"{Right}\" y1=\"{Markup.N(y)}\" y2=\"{Markup.N(y)}\"/><text x=\"{Right}\" y=\"{Markup.N(y - 6)}\" text-anchor=\"end\">promotion at {maxWeight}%</text></g>");
        }

        if (iterations)
        {
            WriteSteps(html, timeline, timeline.IterationChanges, time, axis, change => change.Cause == CanaryEventType.IterationAdvanced ? "iteration-step" : "iteration-reset", "iteration", unit);
        }
        else
        {
            WriteSteps(html, timeline, timeline.WeightChanges, time, axis, change => change.IsStep ? "weight-step" : "weight-change", "weight", unit);
        }

        WriteLanes(html, timeline, time);
        WriteDecision(html, timeline, time);
        html.Append("</svg>");
    }

    private static void WriteGrid(StringBuilder html, TimeAxis time, ValueAxis weight, string unit)
    {
        html.Append("<g class=\"grid\">");
        foreach (var (y, label) in weight.Ticks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Right}\" y1=\"{Markup.N(y)}\" y2=\"{Markup.N(y)}\"/><text class=\"y-label\" x=\"{Left - 10}\" y=\"{Markup.N(y + 4)}\" text-anchor=\"end\">{label}{unit}</text>");
        }

        foreach (var (x, label) in time.Ticks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"v\" x1=\"{Markup.N(x)}\" x2=\"{Markup.N(x)}\" y1=\"{PlotTop}\" y2=\"{GatesLane + LaneHeight}\"/><text class=\"x-label\" x=\"{Markup.N(x)}\" y=\"{PlotBottom + 18}\" text-anchor=\"middle\">{label}</text>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Right}\" y1=\"{PlotBottom}\" y2=\"{PlotBottom}\"/>");
        html.Append("</g>");
    }

    private static void WriteSteps(
        StringBuilder html, RolloutTimeline timeline, IReadOnlyList<WeightChange> changes, TimeAxis time, ValueAxis axis, Func<WeightChange, string> css, string quantity, string unit)
    {
        var bottom = Markup.N(axis.Y(0));
        var area = new StringBuilder().Append(CultureInfo.InvariantCulture, $"M{Markup.N(Left)} {bottom}");
        foreach (var change in changes)
        {
            area.Append(CultureInfo.InvariantCulture, $" H{Markup.N(time.X(change.Time))} V{Markup.N(axis.Y(change.To))}");
        }

        area.Append(CultureInfo.InvariantCulture, $" H{Markup.N(Right)} V{bottom} Z");
        html.Append(CultureInfo.InvariantCulture, $"<path class=\"weight-area\" d=\"{area}\"/>");

        var firstX = changes.Count > 0 ? time.X(changes[0].Time) : Right;
        html.Append(CultureInfo.InvariantCulture, $"<path class=\"weight-base\" d=\"M{Markup.N(Left)} {bottom} H{Markup.N(firstX)}\"/>");
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var kind = css(change);
            var isStep = kind.EndsWith("-step", StringComparison.Ordinal);
            var x = time.X(change.Time);
            var next = i + 1 < changes.Count ? time.X(changes[i + 1].Time) : Right;
            var yTo = axis.Y(change.To);
            var tip = $"+{TimeAxis.FormatElapsed(change.Time - timeline.Start)}: {quantity} {change.From}{unit} → {change.To}{unit}" + (isStep ? string.Empty : $" ({change.Cause})");
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"{kind}\" data-{quantity}=\"{change.To}\" data-from=\"{change.From}\" data-time=\"{Markup.Time(change.Time)}\" data-cause=\"{change.Cause}\" data-event=\"{change.EventIndex}\">");
            html.Append(CultureInfo.InvariantCulture, $"<title>{Markup.Text(tip)}</title>");
            html.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Markup.N(x)} {Markup.N(axis.Y(change.From))} V{Markup.N(yTo)} H{Markup.N(next)}\"/>");
            if (isStep)
            {
                html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Markup.N(x)}\" cy=\"{Markup.N(yTo)}\" r=\"3.5\"/>");
                if (next - x >= 30 || i + 1 == changes.Count || css(changes[i + 1]) != kind)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Markup.N(x + 5)}\" y=\"{Markup.N(yTo - 7)}\">{change.To}{unit}</text>");
                }
            }

            html.Append("</g>");
        }
    }

    private static void WriteLanes(StringBuilder html, RolloutTimeline timeline, TimeAxis time)
    {
        html.Append("<g class=\"lanes\">");
        LaneLabel(html, PhaseLane, "Phase");
        LaneLabel(html, ChecksLane, "Checks");
        LaneLabel(html, GatesLane, "Gates");

        foreach (var span in timeline.Phases.Where(s => s.End > s.Start))
        {
            var x = time.X(span.Start);
            var width = Math.Max(1, time.X(span.End) - x);
            var name = span.Phase.ToString();
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"phase phase-{name.ToLowerInvariant()}\" data-phase=\"{name}\"><title>{name}: +{TimeAxis.FormatElapsed(span.Start - timeline.Start)} to +{TimeAxis.FormatElapsed(span.End - timeline.Start)}</title>");
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Markup.N(x)}\" y=\"{PhaseLane}\" width=\"{Markup.N(width)}\" height=\"{LaneHeight}\" rx=\"3\"/>");
            if (width >= (name.Length * 6.2) + 10)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Markup.N(x + 6)}\" y=\"{PhaseLane + 11.5}\">{name}</text>");
            }

            html.Append("</g>");
        }

        // Failed rounds are drawn last so that, on a long rollout, passed rounds around them cannot cover them.
        foreach (var round in timeline.CheckRounds.OrderBy(r => r.Failed > 0 ? 2 : r.Held > 0 ? 1 : 0))
        {
            var state = round.Failed > 0 ? "failed" : round.Held > 0 ? "held" : "passed";
            var summary = $"+{TimeAxis.FormatElapsed(round.Time - timeline.Start)}: {round.Passed} passed, {round.Failed} failed" + (round.Held > 0 ? $", {round.Held} held" : string.Empty);
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"check-round check-{state}\" data-event=\"{round.EventIndex}\"><title>{Markup.Text(summary + "\n" + string.Join("\n", round.Messages))}</title>");
            var x = Markup.N(time.X(round.Time));
            var cy = Markup.N(ChecksLane + (LaneHeight / 2));
            html.Append(state == "failed"
                ? string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{cy}\" r=\"6\"/><path d=\"M{Markup.N(time.X(round.Time) - 2.6)} {ChecksLane + 5.4} l5.2 5.2 m0 -5.2 l-5.2 5.2\"/>")
                : string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{cy}\" r=\"4.5\"/>"));
            html.Append("</g>");
        }

        if (timeline.Gates.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"lane-empty\" x=\"{Left + 4}\" y=\"{GatesLane + 12}\">no confirm gate held the canary and no gating webhook failed</text>");
        }

        foreach (var gate in timeline.Gates)
        {
            var x = time.X(gate.Start);
            switch (gate.Kind)
            {
                case GateMarkKind.Waiting:
                    var width = Math.Max(6, time.X(gate.End) - x);
                    html.Append(CultureInfo.InvariantCulture, $"<g class=\"gate gate-waiting\" data-webhook=\"{Markup.Text(gate.Label)}\" data-event=\"{gate.EventIndex}\"><title>{Markup.Text($"Waiting at {gate.Label} from +{TimeAxis.FormatElapsed(gate.Start - timeline.Start)} to +{TimeAxis.FormatElapsed(gate.End - timeline.Start)} ({gate.Count} checks)\n{gate.Message}")}</title>");
                    html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Markup.N(x)}\" y=\"{GatesLane}\" width=\"{Markup.N(width)}\" height=\"{LaneHeight}\" rx=\"3\"/>");
                    var label = $"waiting: {gate.Label}";
                    if (width >= (label.Length * 6.2) + 10)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Markup.N(x + 6)}\" y=\"{GatesLane + 11.5}\">{Markup.Text(label)}</text>");
                    }

                    html.Append("</g>");
                    break;
                default:
                    var cy = GatesLane + (LaneHeight / 2);
                    html.Append(CultureInfo.InvariantCulture, $"<g class=\"gate gate-failed\" data-webhook=\"{Markup.Text(gate.Label)}\" data-event=\"{gate.EventIndex}\"><title>{Markup.Text($"+{TimeAxis.FormatElapsed(gate.Start - timeline.Start)}: {gate.Message}")}</title>");
                    html.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Markup.N(x)} {Markup.N(cy - 7)} l7 7 l-7 7 l-7 -7 Z\"/></g>");
                    break;
            }
        }

        html.Append("</g>");
    }

    private static void LaneLabel(StringBuilder html, double y, string label) =>
        html.Append(CultureInfo.InvariantCulture, $"<text class=\"lane-label\" x=\"{Left - 10}\" y=\"{y + 12}\" text-anchor=\"end\">{label}</text>");

    private static void WriteDecision(StringBuilder html, RolloutTimeline timeline, TimeAxis time)
    {
        if (timeline.Decision.Time is not { } at)
        {
            return;
        }

        var x = time.X(at);
        var outcome = timeline.Decision.Outcome == RolloutOutcome.Promoted ? "promoted" : "rolled-back";
        var anchor = x > (Left + Right) / 2 ? "end" : "start";
        var labelX = anchor == "end" ? x - 6 : x + 6;
        html.Append(CultureInfo.InvariantCulture, $"<g class=\"decision decision-{outcome}\" data-event=\"{timeline.Decision.EventIndex}\"><title>{Markup.Text($"+{TimeAxis.FormatElapsed(at - timeline.Start)}: {timeline.Decision.Reason}")}</title>");
        // Two segments, leaving the time axis's labels uncrossed.
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Markup.N(x)}\" x2=\"{Markup.N(x)}\" y1=\"{PlotTop - 20}\" y2=\"{PlotBottom + 4}\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Markup.N(x)}\" x2=\"{Markup.N(x)}\" y1=\"{PhaseLane - 6}\" y2=\"{GatesLane + LaneHeight}\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Markup.N(labelX)}\" y=\"{PlotTop - 10}\" text-anchor=\"{anchor}\">{Markup.Text(timeline.Decision.Title)}</text></g>");
    }
}
