using System.Globalization;
using Canary.Metrics.Templates;

namespace Canary.Metrics.Graphite;

/// <summary>
/// Turns a rendered template query into the parameters of Graphite's <c>/render</c>. A query is either a target
/// expression (<c>sumSeries(app.*.errors)</c>) or, as Flagger's templates write it, a query string that starts with
/// <c>target=</c> (<c>target=...&amp;from=-10min</c>). Either way <c>format=json</c> is sent, and <c>from</c> is the
/// check's interval unless the query string sets it.
/// </summary>
internal static class GraphiteQuery
{
    private const string TargetPrefix = "target=";

    /// <summary>Builds the parameters of one render call.</summary>
    /// <param name="query">The rendered query.</param>
    /// <param name="window">The check's interval.</param>
    /// <param name="source">The template, for messages.</param>
    /// <returns>The parameters, in order.</returns>
    /// <exception cref="MetricTemplateException">A query string has an empty parameter name or an empty target.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Parameters(string query, TimeSpan window, string source)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        if (query.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var name = (equals < 0 ? part : part[..equals]).Trim();
                var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(part[(equals + 1)..].Trim());
                if (name.Length == 0)
                {
                    throw new MetricTemplateException($"{source} has a query string with a parameter without a name: \"{part}\".", source, null);
                }

                if (name == "target" && value.Length == 0)
                {
                    throw new MetricTemplateException($"{source} has an empty target.", source, null);
                }

                // The answer is read as JSON, whatever format the template asked for.
                if (name != "format")
                {
                    parameters.Add(new(name, value));
                }
            }
        }
        else
        {
            parameters.Add(new("target", query));
        }

        if (!parameters.Any(p => p.Key == "from"))
        {
            parameters.Add(new("from", RelativeTime(window)));
        }

        parameters.Add(new("format", "json"));
        return parameters;
    }

    /// <summary>
    /// Refuses template variables that hold <c>&amp;</c>: in a query string it would start a parameter of its own, so
    /// a value could change the time range or add targets.
    /// </summary>
    /// <param name="template">The parsed query.</param>
    /// <param name="context">The placeholders' values.</param>
    /// <exception cref="MetricTemplateException">A variable the query uses holds <c>&amp;</c>.</exception>
    public static void CheckVariables(PromQlTemplate template, MetricTemplateContext context)
    {
        foreach (var placeholder in template.Placeholders)
        {
            var name = placeholder.StartsWith("variables.", StringComparison.Ordinal) ? placeholder["variables.".Length..] : null;
            if (name is not null && context.Variables.TryGetValue(name, out var value) && value.Contains('&', StringComparison.Ordinal))
            {
                throw new MetricTemplateException(
                    $"template variable \"{placeholder}\" in {template.Template} contains '&', which would start another parameter of the Graphite query.",
                    template.Template,
                    placeholder);
            }
        }
    }

    /// <summary>Writes a window as Graphite's relative time, in the largest whole unit: <c>-1h</c>, <c>-5min</c>, <c>-90s</c>.</summary>
    /// <param name="window">The window.</param>
    /// <returns>The relative time, at least one second.</returns>
    public static string RelativeTime(TimeSpan window)
    {
        // Graphite reads a bare "m" as neither minutes nor months reliably; "min" is its minutes.
        var seconds = Math.Max(1, (long)Math.Ceiling(window.TotalSeconds));
        return seconds switch
        {
            _ when seconds % 3600 == 0 => string.Create(CultureInfo.InvariantCulture, $"-{seconds / 3600}h"),
            _ when seconds % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"-{seconds / 60}min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"-{seconds}s"),
        };
    }
}
