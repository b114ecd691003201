using System.Globalization;
using System.Text;

namespace Canary.Cli.Reports;

/// <summary>
/// Draws one metric's checks as inline SVG: its values as a line over the rollout's time, the threshold as a dashed
/// line with the failing side shaded, failed checks in red, and checks without data as markers on the x axis.
/// </summary>
internal static class MetricChart
{
    private const double Width = 560;
    private const double Height = 200;
    private const double Left = 56;
    private const double Right = Width - 18;
    private const double Top = 14;
    private const double Bottom = Height - 30;

    public static void Write(StringBuilder html, MetricSeries series, RolloutTimeline timeline)
    {
        var time = new TimeAxis(timeline.Start, timeline.End, Left, Right);
        var values = series.Points.Where(p => p.Value is not null).Select(p => p.Value!.Value)
            .Concat(new[] { series.Threshold?.Min, series.Threshold?.Max }.OfType<double>())
            .ToList();
        var low = values.Count > 0 ? values.Min() : 0;
        var high = values.Count > 0 ? values.Max() : 1;
        var pad = (high - low) * 0.12;
        var axis = new ValueAxis(low - pad, high + pad, Top, Bottom);

        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart metric\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Markup.Text(series.Name)} over time\" data-metric=\"{Markup.Text(series.Name)}\">");
        WriteGrid(html, axis, time, series.Unit);
        WriteThreshold(html, series, axis);
        WriteLine(html, series, axis, time);
        WritePoints(html, series, axis, time, timeline.Start);
        if (series.Points.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"lane-empty\" x=\"{(Left + Right) / 2}\" y=\"{(Top + Bottom) / 2}\" text-anchor=\"middle\">no check of this metric ran</text>");
        }

        html.Append("</svg>");
    }

    private static void WriteGrid(StringBuilder html, ValueAxis axis, TimeAxis time, string unit)
    {
        html.Append("<g class=\"grid\">");
        foreach (var (y, label) in axis.Ticks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Right}\" y1=\"{Markup.N(y)}\" y2=\"{Markup.N(y)}\"/><text class=\"y-label\" x=\"{Left - 8}\" y=\"{Markup.N(y + 4)}\" text-anchor=\"end\">{label}{Markup.Text(unit)}</text>");
        }

        foreach (var (x, label) in time.Ticks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"x-label\" x=\"{Markup.N(x)}\" y=\"{Bottom + 18}\" text-anchor=\"middle\">{label}</text>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Right}\" y1=\"{Bottom}\" y2=\"{Bottom}\"/></g>");
    }

    private static void WriteThreshold(StringBuilder html, MetricSeries series, ValueAxis axis)
    {
        if (series.Threshold is not { } threshold)
        {
            return;
        }

        if (threshold.Min is { } min)
        {
            var y = axis.Y(min);
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"fail-zone\" x=\"{Left}\" y=\"{Markup.N(y)}\" width=\"{Right - Left}\" height=\"{Markup.N(Math.Max(0, Bottom - y))}\"/>");
            Line(html, "min", min, y, $"min {Markup.Value(min)}{series.Unit}", y + 14);
        }

        if (threshold.Max is { } max)
        {
            var y = axis.Y(max);
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"fail-zone\" x=\"{Left}\" y=\"{Top}\" width=\"{Right - Left}\" height=\"{Markup.N(Math.Max(0, y - Top))}\"/>");
            Line(html, "max", max, y, $"max {Markup.Value(max)}{series.Unit}", y - 6);
        }

        static void Line(StringBuilder html, string bound, double value, double y, string label, double labelY) =>
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"threshold\" data-bound=\"{bound}\" data-value=\"{Markup.Value(value)}\"><line x1=\"{Left}\" x2=\"{Right}\" y1=\"{Markup.N(y)}\" y2=\"{Markup.N(y)}\"/><text x=\"{Right - 4}\" y=\"{Markup.N(labelY)}\" text-anchor=\"end\">{Markup.Text(label)}</text></g>");
    }

    private static void WriteLine(StringBuilder html, MetricSeries series, ValueAxis axis, TimeAxis time)
    {
        // A check without data breaks the line rather than joining its neighbours across the gap.
        var path = new StringBuilder();
        var drawing = false;
        foreach (var point in series.Points)
        {
            if (point.Value is not { } value)
            {
                drawing = false;
                continue;
            }

            path.Append(CultureInfo.InvariantCulture, $"{(drawing ? " L" : " M")}{Markup.N(time.X(point.Time))} {Markup.N(axis.Y(value))}");
            drawing = true;
        }

        if (path.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<path class=\"metric-line\" d=\"{path.ToString().Trim()}\"/>");
        }
    }

    private static void WritePoints(StringBuilder html, MetricSeries series, ValueAxis axis, TimeAxis time, DateTimeOffset start)
    {
        var dense = series.Points.Count > 60;
        foreach (var point in series.Points)
        {
            var x = time.X(point.Time);
            var tip = Markup.Text($"+{TimeAxis.FormatElapsed(point.Time - start)}: {point.Message}");
            if (point.Value is not { } value)
            {
                html.Append(CultureInfo.InvariantCulture, $"<g class=\"metric-missing\" data-event=\"{point.EventIndex}\"><title>{tip}</title><path d=\"M{Markup.N(x)} {Bottom - 9} l5 8 h-10 Z\"/></g>");
                continue;
            }

            if (point.Passed && dense)
            {
                continue;
            }

            var state = point.Passed ? "pass" : "fail";
            var radius = point.Passed ? 3 : 4.5;
            html.Append(CultureInfo.InvariantCulture, $"<circle class=\"metric-point {state}\" cx=\"{Markup.N(x)}\" cy=\"{Markup.N(axis.Y(value))}\" r=\"{radius}\" data-value=\"{Markup.Value(value)}\" data-event=\"{point.EventIndex}\"><title>{tip}</title></circle>");
        }
    }
}
