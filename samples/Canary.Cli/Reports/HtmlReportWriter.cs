using System.Globalization;
using System.Text;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Reports;

/// <summary>
/// Writes a rollout report as one self-contained HTML page: inline CSS, inline SVG charts drawn here, and a small inline
/// script that adds tooltips and table filters. A Content-Security-Policy forbids every network request, so the page
/// looks the same offline, attached to a ticket or archived by CI. The script marks <c>&lt;body data-render="ok"&gt;</c>
/// when it has run, and <c>data-render-error</c> if anything on the page threw.
/// </summary>
internal static class HtmlReportWriter
{
    private static readonly Lazy<string> Css = new(() => ReadResource("report.css"));
    private static readonly Lazy<string> Script = new(() => ReadResource("report.js"));

    /// <summary>Writes <paramref name="report"/> to the file at <paramref name="path"/>, replacing it.</summary>
    public static async Task WriteAsync(string path, RolloutReport report, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Render(report), new UTF8Encoding(false), cancellationToken);
    }

    /// <summary>Renders <paramref name="report"/> as an HTML page.</summary>
    public static string Render(RolloutReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var timeline = RolloutTimeline.From(report);
        var outcome = OutcomeClass(timeline.Decision.Outcome);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<meta name=\"generator\" content=\"{Markup.Text(report.Generator)}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Markup.Text($"{report.Canary.Id}: {timeline.Decision.Title} · Canary rollout report")}</title>\n");

        // Registered before anything else runs, so an error anywhere on the page is recorded where a test can read it.
        html.Append("<script>window.addEventListener('error',function(e){(document.body||document.documentElement).setAttribute('data-render-error',String(e.message||e.type));});</script>\n");
        html.Append("<style>\n").Append(Css.Value).Append("</style>\n</head>\n");
        html.Append(CultureInfo.InvariantCulture, $"<body data-outcome=\"{outcome}\" data-weight-steps=\"{timeline.Steps}\">\n<main class=\"page\">\n");
        WriteHeader(html, report);
        WriteBanner(html, timeline);
        WriteStats(html, report, timeline);
        WriteTimeline(html, report, timeline);
        WriteMetrics(html, timeline);
        WriteEvents(html, report.Events, timeline.Start);
        html.Append(CultureInfo.InvariantCulture, $"<footer>Written by {Markup.Text(report.Generator)}. Self-contained: this page loads nothing from the network. Times are UTC; +m:ss counts from the first event.</footer>\n");
        html.Append("</main>\n<div class=\"tooltip\" id=\"tooltip\" role=\"tooltip\" hidden></div>\n<script>\n").Append(Script.Value).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string OutcomeClass(RolloutOutcome outcome) => outcome switch
    {
        RolloutOutcome.Promoted => "promoted",
        RolloutOutcome.RolledBack => "rolled-back",
        _ => "unfinished",
    };

    private static void WriteHeader(StringBuilder html, RolloutReport report)
    {
        html.Append("<header class=\"masthead\">\n<div class=\"brand\"><svg viewBox=\"0 0 24 24\" aria-hidden=\"true\"><path d=\"M3 19 L9 12 L13 15 L21 5\"/><circle cx=\"21\" cy=\"5\" r=\"2\"/></svg>Canary rollout report</div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"title-row\"><h1>{Markup.Text(report.Canary.Id.Name)}<span class=\"ns\">.{Markup.Text(report.Canary.Id.Namespace)}</span></h1><span class=\"source\">{Markup.Text(report.Source)}</span></div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"strategy\">{Markup.Text(DescribeStrategy(report.Canary.Spec))}</p>\n");
        if (report.Details.Count > 0)
        {
            html.Append("<dl class=\"details\">");
            foreach (var (label, value) in report.Details)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div><dt>{Markup.Text(label)}</dt><dd>{Markup.Text(value)}</dd></div>");
            }

            html.Append("</dl>\n");
        }

        html.Append("</header>\n");
    }

    private static string DescribeStrategy(CanarySpec spec)
    {
        var analysis = spec.Analysis;
        var interval = TimeAxis.FormatElapsed(analysis.Interval);
        var strategy = analysis.Strategy switch
        {
            DeploymentStrategy.ABTesting => $"A/B test: {analysis.Iterations} iterations of {interval} for matching requests",
            DeploymentStrategy.BlueGreen => $"Blue/green: {analysis.Iterations} iterations of {interval}, then all traffic switches",
            _ when analysis.StepWeights.Count > 0 => $"Progressive canary: weights {string.Join(", ", analysis.StepWeights)}% every {interval}, promoted at {analysis.EffectiveMaxWeight}%",
            _ => $"Progressive canary: +{analysis.StepWeight ?? analysis.EffectiveMaxWeight}% every {interval} up to {analysis.EffectiveMaxWeight}%",
        };
        var threshold = analysis.Threshold == 1 ? "rolls back at the first failed check" : $"rolls back after {analysis.Threshold} failed checks";
        return $"{strategy} · {spec.Provider ?? "kubernetes"} · {threshold}";
    }

    private static void WriteBanner(StringBuilder html, RolloutTimeline timeline)
    {
        var decision = timeline.Decision;
        var outcome = OutcomeClass(decision.Outcome);
        var icon = decision.Outcome switch
        {
            RolloutOutcome.Promoted => "<path d=\"M6 12.5 L10.5 17 L18.5 8\"/>",
            RolloutOutcome.RolledBack => "<path d=\"M7 7 L17 17 M17 7 L7 17\"/>",
            _ => "<path d=\"M12 7 V13 M12 16.5 V17\"/>",
        };
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"banner banner-{outcome}\" id=\"decision\" data-outcome=\"{decision.Outcome}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"banner-icon\"><svg viewBox=\"0 0 24 24\" aria-hidden=\"true\">{icon}</svg></div>\n<div class=\"banner-body\">");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"banner-title\">{Markup.Text(decision.Title)}</div><div class=\"banner-reason\">{Markup.Text(decision.Reason)}</div>");
        if (decision.Causes.Count > 0)
        {
            html.Append("<ul class=\"causes\">");
            foreach (var cause in decision.Causes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Markup.Text(cause)}</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</div>\n");
        if (decision.Time is { } at)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"banner-time\"><span>+{TimeAxis.FormatElapsed(at - timeline.Start)}</span><time datetime=\"{Markup.Time(at)}\">{Markup.Time(at)}</time></div>\n");
        }

        html.Append("</section>\n");
    }

    private static void WriteStats(StringBuilder html, RolloutReport report, RolloutTimeline timeline)
    {
        var checks = timeline.Metrics.Sum(m => m.Points.Count);
        var failedMetricChecks = timeline.Metrics.Sum(m => m.Failed);
        var end = timeline.Decision.Time ?? timeline.End;
        var threshold = report.Canary.Spec.Analysis.Threshold;
        html.Append("<section class=\"stats\">\n");
        Stat(html, "Duration", TimeAxis.FormatElapsed(end - timeline.RolloutStart), "new revision to decision");
        if (timeline.CountsIterations)
        {
            var passed = timeline.IterationChanges.Select(c => c.To).DefaultIfEmpty(0).Max();
            Stat(html, "Iterations", $"{passed}/{timeline.Iterations}", "passed");
        }
        else
        {
            Stat(html, "Peak weight", $"{timeline.PeakWeight}%", $"{timeline.Steps} weight step{(timeline.Steps == 1 ? string.Empty : "s")}");
        }

        Stat(html, "Metric checks", $"{checks - failedMetricChecks}/{checks}", "passed");
        Stat(html, "Failed checks", $"{timeline.FailedChecks}", $"rollback at {threshold}", timeline.FailedChecks > 0 ? "warn" : null);
        var webhookFailures = timeline.Gates.Count(g => g.Kind == GateMarkKind.WebhookFailed);
        Stat(html, "Gate waits", $"{timeline.Gates.Count(g => g.Kind == GateMarkKind.Waiting)}", $"{webhookFailures} webhook failure{(webhookFailures == 1 ? string.Empty : "s")}");
        Stat(html, "Final phase", report.FinalPhase.ToString(), $"{report.Events.Count} events");
        html.Append("</section>\n");
    }

    private static void Stat(StringBuilder html, string label, string value, string note, string? tone = null) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"stat{(tone is null ? string.Empty : " stat-" + tone)}\"><div class=\"stat-label\">{Markup.Text(label)}</div><div class=\"stat-value\">{Markup.Text(value)}</div><div class=\"stat-note\">{Markup.Text(note)}</div></div>\n");

    private static void WriteTimeline(StringBuilder html, RolloutReport report, RolloutTimeline timeline)
    {
        html.Append("<section class=\"panel\" id=\"timeline\">\n<div class=\"panel-head\"><div><h2>Timeline</h2><p>Progress, what held it, and the decision. Click a mark to find its event.</p></div>");
        html.Append(CultureInfo.InvariantCulture, $"<ul class=\"legend\"><li><i class=\"key key-weight\"></i>{(timeline.CountsIterations ? "passed iterations" : "canary weight")}</li><li><i class=\"key key-pass\"></i>checks passed</li><li><i class=\"key key-fail\"></i>check failed</li><li><i class=\"key key-held\"></i>no data, held</li><li><i class=\"key key-wait\"></i>waiting at a gate</li></ul></div>\n");
        TimelineChart.Write(html, timeline, report.Canary.Spec);
        html.Append("\n</section>\n");
    }

    private static void WriteMetrics(StringBuilder html, RolloutTimeline timeline)
    {
        if (timeline.Metrics.Count == 0)
        {
            return;
        }

        html.Append("<section class=\"panel\" id=\"metrics\">\n<div class=\"panel-head\"><div><h2>Metrics</h2><p>Each check's value against its threshold; the shaded side fails.</p></div></div>\n<div class=\"metric-grid\">\n");
        foreach (var series in timeline.Metrics)
        {
            var passed = series.Points.Count - series.Failed;
            var badge = series.Failed == 0 ? "ok" : "bad";
            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"metric-card\" data-metric=\"{Markup.Text(series.Name)}\"><figcaption><span class=\"metric-name\">{Markup.Text(series.Name)}</span>");
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"metric-threshold\">{Markup.Text(DescribeThreshold(series))}</span><span class=\"badge badge-{badge}\">{passed}/{series.Points.Count} passed</span></figcaption>\n");
            MetricChart.Write(html, series, timeline);
            html.Append("</figure>\n");
        }

        html.Append("</div>\n</section>\n");
    }

    private static string DescribeThreshold(MetricSeries series) => series.Threshold switch
    {
        { Min: { } min, Max: { } max } => $"between {Markup.Value(min)} and {Markup.Value(max)}{series.Unit}",
        { Min: { } min } => $"at least {Markup.Value(min)}{series.Unit}",
        { Max: { } max } => $"at most {Markup.Value(max)}{series.Unit}",
        _ => "no threshold",
    };

    private static void WriteEvents(StringBuilder html, IReadOnlyList<CanaryEvent> events, DateTimeOffset start)
    {
        html.Append("<section class=\"panel\" id=\"events\">\n<div class=\"panel-head\"><div><h2>Events</h2><p>Everything the engine decided, in order.</p></div>");
        html.Append("<div class=\"filters\" role=\"group\" aria-label=\"Filter events\"><button type=\"button\" data-filter=\"all\" class=\"active\">All <span class=\"count\"></span></button><button type=\"button\" data-filter=\"decisions\">Without passed checks <span class=\"count\"></span></button><button type=\"button\" data-filter=\"problems\">Warnings and errors <span class=\"count\"></span></button></div></div>\n");
        html.Append("<div class=\"table-wrap\"><table class=\"events\">\n<thead><tr><th>#</th><th>Elapsed</th><th>Time (UTC)</th><th>Event</th><th>Phase</th><th class=\"num\">Weight</th><th class=\"num\">Failed</th><th>Message</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var severity = e.Severity.ToString().ToLowerInvariant();
            html.Append(CultureInfo.InvariantCulture, $"<tr id=\"event-{i}\" class=\"sev-{severity}\" data-type=\"{e.Type}\" data-severity=\"{severity}\">");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num muted\">{i + 1}</td><td class=\"mono\">+{TimeAxis.FormatElapsed(e.Time - start)}</td><td class=\"mono muted\">{Markup.Time(e.Time)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"pill pill-{Category(e.Type)}\">{e.Type}</span></td><td>{e.Phase}</td><td class=\"num\">{e.Weight}%</td><td class=\"num\">{e.FailedChecks}</td><td class=\"message\">{Markup.Text(e.Message)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static string Category(CanaryEventType type) => type switch
    {
        CanaryEventType.WeightAdvanced or CanaryEventType.IterationAdvanced or CanaryEventType.PrimaryWeightAdvanced or CanaryEventType.TrafficShifted => "step",
        CanaryEventType.CheckPassed => "pass",
        CanaryEventType.CheckFailed or CanaryEventType.RollingBack or CanaryEventType.RolledBack or CanaryEventType.StepFailed => "fail",
        CanaryEventType.Waiting or CanaryEventType.CheckHeld or CanaryEventType.WorkloadNotReady or CanaryEventType.Suspended => "wait",
        CanaryEventType.Promoted => "done",
        _ => "info",
    };

    private static string ReadResource(string name)
    {
        var assembly = typeof(HtmlReportWriter).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Canary.Cli.Reports.{name}")
            ?? throw new InvalidOperationException($"The report's {name} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
