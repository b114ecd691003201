using System.Net;
using System.Text.Json;
using Canary.Analysis;
using Canary.Metrics.Http;

namespace Canary.Metrics.Datadog;

/// <summary>
/// Reads an answer of Datadog's <c>GET /api/v1/query</c>: the last point with a value of the one series is the value;
/// no series, several series, or a series without values is no data; <c>{"errors": [...]}</c>, <c>status: error</c>
/// and HTTP errors are errors.
/// </summary>
internal static class DatadogResponse
{
    /// <summary>Turns an answer into a result.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="query">The query as sent.</param>
    /// <param name="server">The server, for messages.</param>
    /// <param name="redactor">Scrubs the keys out of text the server sent.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="DatadogQueryException">The answer is an error or not a Datadog answer.</exception>
    public static MetricResult Read(HttpAnswer answer, string query, string server, SecretRedactor redactor)
    {
        using var document = JsonBody.TryParse(answer.Body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw Error(NotDatadog(answer, server), query, answer.StatusCode);
        }

        var root = document.RootElement;
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var texts = errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
            var text = texts.Count == 0 ? "(no error message)" : string.Join("; ", texts);
            throw Error($"Datadog at {server} rejected the query ({answer.Status}): {redactor.Redact(text)}{Hint(answer.StatusCode)}", query, answer.StatusCode);
        }

        if (!answer.IsSuccess)
        {
            throw Error($"Datadog at {server} answered {answer.Status} without an errors list.{Hint(answer.StatusCode)}", query, answer.StatusCode);
        }

        if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "error")
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "(no error message)";
            throw Error($"Datadog at {server} could not run the query: {redactor.Redact(error)}", query, answer.StatusCode);
        }

        if (!root.TryGetProperty("series", out var series) || series.ValueKind != JsonValueKind.Array)
        {
            throw Error($"Datadog at {server} answered without a series list; is the address that of Datadog's API?", query, answer.StatusCode);
        }

        var count = series.GetArrayLength();
        if (count == 0)
        {
            return MetricResult.NoData(
                $"no data: the query returned no series (no metric matched, or none had points in the window). Query: {query}");
        }

        if (count > 1)
        {
            return MetricResult.NoData(
                $"no data: the query returned {count} series, and an analysis query must return exactly one; " +
                $"aggregate it without a \"by {{...}}\" group, for example sum:metric{{...}}. Query: {query}");
        }

        var only = series[0];
        if (only.ValueKind != JsonValueKind.Object || !only.TryGetProperty("pointlist", out var points) || points.ValueKind != JsonValueKind.Array)
        {
            throw Error($"Datadog at {server} returned a series without a pointlist.", query, answer.StatusCode);
        }

        // Points are [milliseconds, value] in time order; a bucket without data has a null value.
        for (var i = points.GetArrayLength() - 1; i >= 0; i--)
        {
            var point = points[i];
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() < 2)
            {
                throw Error($"Datadog at {server} returned a point that is not [time, value].", query, answer.StatusCode);
            }

            if (JsonBody.TryGetFinite(point[1], out var value))
            {
                return new MetricResult(value, null, query);
            }

            if (point[1].ValueKind != JsonValueKind.Null)
            {
                throw Error($"Datadog at {server} returned a point whose value is not a number.", query, answer.StatusCode);
            }
        }

        return MetricResult.NoData($"no data: the series has no point with a value in the window. Query: {query}");
    }

    private static string NotDatadog(HttpAnswer answer, string server) => answer.IsSuccess
        ? $"Datadog at {server} answered {answer.Status} with {answer.BodyKind} that is not a Datadog API response; is the address that of Datadog's API?"
        : $"Datadog at {server} answered {answer.Status} with {answer.BodyKind}, not a Datadog API response.{Hint(answer.StatusCode)}";

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            " Check the API key and the application key (DD-API-KEY, DD-APPLICATION-KEY), that they belong to this site, and that the application key may run timeseries queries.",
        HttpStatusCode.TooManyRequests => " Datadog is rate-limiting this organisation's queries.",
        _ => string.Empty,
    };

    private static DatadogQueryException Error(string message, string query, HttpStatusCode status) =>
        new($"{message} Query: {query}")
        {
            Query = query,
            StatusCode = status,
        };
}
