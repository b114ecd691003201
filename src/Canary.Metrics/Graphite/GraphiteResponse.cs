using System.Globalization;
using System.Net;
using System.Text.Json;
using Canary.Analysis;
using Canary.Metrics.Http;

namespace Canary.Metrics.Graphite;

/// <summary>
/// Reads an answer of Graphite's <c>/render?format=json</c>: a list of series, each with <c>datapoints</c> of
/// <c>[value, timestamp]</c>. The last datapoint with a value of the one series is the value; no series, several
/// series, or a series of nulls is no data; an HTTP error is an error, with the start of Graphite's message.
/// </summary>
internal static class GraphiteResponse
{
    /// <summary>Turns an answer into a result.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="query">The query, for messages and the result.</param>
    /// <param name="server">The server, for messages.</param>
    /// <param name="redactor">Scrubs the credentials out of text the server sent.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="GraphiteQueryException">The answer is an error or not render JSON.</exception>
    public static MetricResult Read(HttpAnswer answer, string query, string server, SecretRedactor redactor)
    {
        if (!answer.IsSuccess)
        {
            var text = JsonBody.Excerpt(answer.Body, redactor);
            var hint = answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? " Check the user name and password."
                : string.Empty;
            throw Error(
                text is null
                    ? $"Graphite at {server} answered {answer.Status} with {answer.BodyKind}.{hint}"
                    : $"Graphite at {server} answered {answer.Status}: {text}{hint}",
                query,
                answer.StatusCode);
        }

        using var document = JsonBody.TryParse(answer.Body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw Error(
                $"Graphite at {server} answered {answer.Status} with {answer.BodyKind} that is not render JSON; is the address that of graphite-web's render API?",
                query,
                answer.StatusCode);
        }

        var series = document.RootElement;
        var count = series.GetArrayLength();
        if (count == 0)
        {
            return MetricResult.NoData($"no data: the query returned no series (no metric matched the target in the window). Query: {query}");
        }

        if (count > 1)
        {
            return MetricResult.NoData(
                $"no data: the query returned {count} series, and an analysis query must return exactly one; " +
                $"aggregate it, for example with sumSeries(...). Query: {query}");
        }

        if (series[0].ValueKind != JsonValueKind.Object || !series[0].TryGetProperty("datapoints", out var points) || points.ValueKind != JsonValueKind.Array)
        {
            throw Error($"Graphite at {server} returned a series without datapoints.", query, answer.StatusCode);
        }

        // Datapoints are [value, timestamp] in time order; a slot without data has a null value.
        for (var i = points.GetArrayLength() - 1; i >= 0; i--)
        {
            var point = points[i];
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() < 2)
            {
                throw Error($"Graphite at {server} returned a datapoint that is not [value, timestamp].", query, answer.StatusCode);
            }

            var value = point[0];
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    continue;
                case JsonValueKind.Number when JsonBody.TryGetFinite(value, out var number):
                    return new MetricResult(number, null, query);
                case JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed):
                    return new MetricResult(parsed, null, query);
                default:
                    throw Error($"Graphite at {server} returned a datapoint whose value is not a number.", query, answer.StatusCode);
            }
        }

        return MetricResult.NoData($"no data: the series has no datapoint with a value in the window. Query: {query}");
    }

    private static GraphiteQueryException Error(string message, string query, HttpStatusCode status) =>
        new($"{message} Query: {query}")
        {
            Query = query,
            StatusCode = status,
        };
}
