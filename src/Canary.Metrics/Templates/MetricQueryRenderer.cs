using Canary.Analysis;
using Canary.Metrics.Builtin;

namespace Canary.Metrics.Templates;

/// <summary>Renders the PromQL of a metric check: its <c>MetricTemplate</c>'s query, or the builtin query of the canary's traffic provider.</summary>
public static class MetricQueryRenderer
{
    /// <summary>Renders the query of one metric check.</summary>
    /// <param name="query">The check, its canary and its template.</param>
    /// <returns>The PromQL, on one line.</returns>
    /// <exception cref="MetricTemplateException">The template is malformed, names an unknown variable, or a value is missing or unsafe.</exception>
    public static string Render(MetricQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Parse(query).Render(MetricTemplateContext.FromQuery(query));
    }

    /// <summary>Finds and parses the query of one metric check, without rendering it.</summary>
    /// <param name="query">The check, its canary and its template.</param>
    /// <returns>The parsed query.</returns>
    /// <exception cref="MetricTemplateException">The template is malformed or names an unknown variable, or the check has no query.</exception>
    public static PromQlTemplate Parse(MetricQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Template is { } template)
        {
            return PromQlTemplate.Parse(template.Query, $"MetricTemplate \"{template.Name}\"");
        }

        if (query.Metric.TemplateRef is { } reference)
        {
            throw new MetricTemplateException(
                $"metric check \"{query.Metric.Name}\" references MetricTemplate \"{reference.Name}\", but the template was not resolved.",
                $"MetricTemplate \"{reference.Name}\"",
                null);
        }

        return BuiltinPrometheusQueries.Get(query.TrafficProvider, query.Metric.Name, query.Role);
    }
}
