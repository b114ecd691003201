using System.Globalization;
using System.Text;
using Canary.Cli.Reports;
using Canary.Model;

namespace Canary.Cli.Demo;

/// <summary>
/// <c>canary demo --report FILE.html</c>: one rollout report page per rollout, as <c>simulate --report</c> writes it, next to
/// <c>FILE.html</c> and named after it (<c>FILE-2.0.0.html</c>, <c>FILE-3.0.0.html</c>), and <c>FILE.html</c> itself as a
/// small index that links them with their outcomes. Every page is self-contained and works offline.
/// </summary>
internal static class DemoReport
{
    /// <summary>Returns the path of a rollout's page: the index's name with <c>-VERSION</c> before its extension.</summary>
    public static string PagePath(string indexPath, string version)
    {
        var extension = Path.GetExtension(indexPath);
        var stem = Path.GetFileNameWithoutExtension(indexPath);
        var name = $"{stem}-{version}{(extension.Length > 0 ? extension : ".html")}";
        return Path.Combine(Path.GetDirectoryName(indexPath) ?? string.Empty, name);
    }

    /// <summary>Builds a rollout's report, as the rollout pages of <c>simulate</c> and <c>run</c> are built.</summary>
    public static RolloutReport Page(CanaryResource canary, DemoRolloutRecord rollout, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var details = new List<KeyValuePair<string, string>>(settings)
        {
            new("Release", $"{rollout.PreviousVersion} → {rollout.Version} ({rollout.Description})"),
            new("Users' answers", Answers(rollout)),
        };
        return new RolloutReport(canary, rollout.Events, rollout.Phase ?? CanaryPhase.Progressing)
        {
            Source = $"Live demo: release {rollout.Version}",
            Details = details,
            Generator = "canary demo",
        };
    }

    /// <summary>Writes every rollout's page, then the index; on a file system failure prints <c>--report FILE: reason</c>.</summary>
    /// <returns><see langword="true"/> when every file was written.</returns>
    public static async Task<bool> TryWriteAsync(
        FileInfo index,
        CanaryResource canary,
        IReadOnlyList<DemoRolloutRecord> rollouts,
        IReadOnlyList<KeyValuePair<string, string>> settings,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        foreach (var rollout in rollouts)
        {
            var page = new FileInfo(PagePath(index.FullName, rollout.Version));
            if (!await RolloutReportFile.TryWriteAsync(page, Page(canary, rollout, settings), error, cancellationToken))
            {
                return false;
            }
        }

        try
        {
            await File.WriteAllTextAsync(index.FullName, Index(index.FullName, canary, rollouts, settings), new UTF8Encoding(false), cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"--report {index.FullName}: cannot write the report: {exception.Message}");
            return false;
        }
    }

    /// <summary>Renders the index page: the demo's settings and one line per rollout, linking its page.</summary>
    public static string Index(string indexPath, CanaryResource canary, IReadOnlyList<DemoRolloutRecord> rollouts, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var title = $"Canary demo: {string.Join(", ", rollouts.Select(r => $"{r.Version} {r.Outcome}"))}";
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"generator\" content=\"canary demo\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Markup.Text(title)}</title>\n<style>{Style}</style>\n</head>\n");
        html.Append(CultureInfo.InvariantCulture, $"<body data-rollouts=\"{rollouts.Count}\">\n<main>\n<h1>{Markup.Text(title)}</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>The canary <b>{Markup.Text(canary.Id.ToString())}</b>, released twice on this machine with real traffic: one page per rollout.</p>\n<dl>");
        foreach (var (label, value) in settings)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div><dt>{Markup.Text(label)}</dt><dd>{Markup.Text(value)}</dd></div>");
        }

        html.Append("</dl>\n<ol class=\"rollouts\">\n");
        foreach (var rollout in rollouts)
        {
            var page = Uri.EscapeDataString(Path.GetFileName(PagePath(indexPath, rollout.Version)));
            var outcome = rollout.Phase switch
            {
                CanaryPhase.Succeeded => "promoted",
                CanaryPhase.Failed => "rolled-back",
                _ => "unfinished",
            };
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"rollout {outcome}\" data-version=\"{Markup.Text(rollout.Version)}\" data-outcome=\"{outcome}\" data-weight-steps=\"{rollout.WeightSteps}\">");
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{page}\">{Markup.Text(rollout.Version)}</a> <span class=\"what\">({Markup.Text(rollout.Description)})</span> ");
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"outcome\">{Markup.Text(rollout.Outcome)}</span><br><span class=\"facts\">{Markup.Text(Facts(rollout))}</span></li>\n");
        }

        html.Append("</ol>\n<footer>Written by canary demo. Self-contained: these pages load nothing from the network.</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private const string Style =
        "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2937;background:#f8fafc;margin:0}" +
        "main{max-width:820px;margin:0 auto;padding:32px 20px}h1{font-size:24px;margin:0 0 8px}" +
        "dl{display:flex;flex-wrap:wrap;gap:8px 24px;margin:16px 0;padding:0}dl div{display:flex;gap:6px}dt{color:#64748b}dd{margin:0}" +
        "ol{list-style:none;padding:0}li{background:#fff;border:1px solid #e2e8f0;border-left:6px solid #94a3b8;border-radius:8px;padding:12px 16px;margin:10px 0}" +
        "li.promoted{border-left-color:#16a34a}li.rolled-back{border-left-color:#dc2626}a{font-weight:600;color:#1d4ed8}" +
        ".outcome{font-weight:600}.promoted .outcome{color:#15803d}.rolled-back .outcome{color:#b91c1c}.what,.facts,footer{color:#64748b}footer{font-size:13px;margin-top:24px}";

    private static string Facts(DemoRolloutRecord rollout) => string.Create(
        CultureInfo.InvariantCulture,
        $"{rollout.WeightSteps} weight step{(rollout.WeightSteps == 1 ? string.Empty : "s")} up to {rollout.PeakWeight}%, {rollout.FailedChecks} failed check{(rollout.FailedChecks == 1 ? string.Empty : "s")}, {rollout.Duration.TotalSeconds:0} s; users' answers: {Answers(rollout)}");

    private static string Answers(DemoRolloutRecord rollout) => rollout.Answers.Count == 0
        ? "none"
        : string.Join(", ", rollout.Answers.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{(p.Key.Length == 0 ? "the proxy" : p.Key)} {p.Value.Succeeded} ok/{p.Value.Failed} failed")));
}
