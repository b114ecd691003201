using System.Text.Json;
using System.Text.RegularExpressions;

namespace Canary.Cli.Tests.Reports;

/// <summary>One <c>canary simulate --output json --report FILE</c> run: its events, and the HTML page it wrote.</summary>
internal sealed record ReportRun(CliRun Run, string Html)
{
    public static async Task<ReportRun> SimulateAsync(string spec, params string[] options)
    {
        var directory = Directory.CreateTempSubdirectory("canary-report-");
        try
        {
            var path = Path.Combine(directory.FullName, "report.html");
            var run = await CliRun.RunAsync(["simulate", spec, "--output", "json", "--report", path, .. options]);
            return new ReportRun(run, File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Gets the events of one type that the run printed.</summary>
    public IReadOnlyList<JsonElement> Events(string type) =>
        Run.JsonEvents.Where(e => e.GetProperty("type").GetString() == type).ToList();

    /// <summary>Counts the elements whose class attribute is exactly <paramref name="classes"/>.</summary>
    public int CountClass(string classes) => CountClass(Html, classes);

    public static int CountClass(string html, string classes) =>
        Regex.Count(html, $"class=\"{Regex.Escape(classes)}\"");

    /// <summary>Gets the values of one data attribute on the elements whose class is exactly <paramref name="classes"/>, in order.</summary>
    public static IReadOnlyList<string> DataValues(string html, string classes, string attribute) =>
        Regex.Matches(html, $"<[a-z]+ class=\"{Regex.Escape(classes)}\"[^>]*? data-{Regex.Escape(attribute)}=\"([^\"]*)\"")
            .Select(m => m.Groups[1].Value)
            .ToList();

    /// <summary>Gets the markup of the metric chart of <paramref name="metric"/>.</summary>
    public string MetricChart(string metric)
    {
        var match = Regex.Match(Html, $"<svg class=\"chart metric\"[^>]*data-metric=\"{Regex.Escape(metric)}\".*?</svg>", RegexOptions.Singleline);
        return match.Success ? match.Value : string.Empty;
    }
}
