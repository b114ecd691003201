using System.Net;
using System.Text.Json;
using Canary.Analysis;
using Canary.Metrics.Http;

namespace Canary.Metrics.NewRelic;

/// <summary>
/// Reads an answer of New Relic's Insights query API: the first numeric field of the first result is the value (one
/// level down for functions such as <c>percentile</c>, which answer an object); no results, a result without a
/// number (<c>{"average": null}</c> when no event matched), facets and time series are no data; <c>{"error": ...}</c>
/// and HTTP errors are errors.
/// </summary>
internal static class NewRelicResponse
{
    /// <summary>Turns an answer into a result.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="nrql">The query as sent.</param>
    /// <param name="server">The server, for messages.</param>
    /// <param name="redactor">Scrubs the query key out of text the server sent.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="NewRelicQueryException">The answer is an error or not NRQL results.</exception>
    public static MetricResult Read(HttpAnswer answer, string nrql, string server, SecretRedactor redactor)
    {
        using var document = JsonBody.TryParse(answer.Body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var message = answer.IsSuccess
                ? $"New Relic at {server} answered {answer.Status} with {answer.BodyKind} that is not an Insights query API response; is the address that of the Insights query API?"
                : $"New Relic at {server} answered {answer.Status} with {answer.BodyKind}, not an Insights query API response.{Hint(answer.StatusCode)}";
            throw Error(message, nrql, answer.StatusCode);
        }

        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw Error($"New Relic at {server} rejected the query ({answer.Status}): {redactor.Redact(ErrorText(error))}{Hint(answer.StatusCode)}", nrql, answer.StatusCode);
        }

        if (!answer.IsSuccess)
        {
            throw Error($"New Relic at {server} answered {answer.Status} without an error message.{Hint(answer.StatusCode)}", nrql, answer.StatusCode);
        }

        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            if (root.TryGetProperty("facets", out _))
            {
                return MetricResult.NoData(
                    $"no data: the query returned facets, and an analysis query must return one value; remove the FACET clause. Query: {nrql}");
            }

            if (root.TryGetProperty("timeSeries", out _))
            {
                return MetricResult.NoData(
                    $"no data: the query returned a time series, and an analysis query must return one value; remove the TIMESERIES clause. Query: {nrql}");
            }

            throw Error($"New Relic at {server} answered without results.", nrql, answer.StatusCode);
        }

        if (results.GetArrayLength() == 0 || results[0].ValueKind != JsonValueKind.Object)
        {
            return MetricResult.NoData($"no data: the query returned no results. Query: {nrql}");
        }

        var first = results[0];
        if (FirstNumber(first) is { } value)
        {
            return new MetricResult(value, null, nrql);
        }

        var fields = redactor.Redact(string.Join(", ", first.EnumerateObject().Select(p => p.Name)));
        return MetricResult.NoData(
            $"no data: the first result has no numeric value ({(fields.Length == 0 ? "no fields" : fields)}); no event matched in the window, " +
            $"or the query selects no aggregate function. Query: {nrql}");
    }

    // A function such as percentile() answers an object ({"percentiles": {"99": 0.25}}): its first number counts.
    private static double? FirstNumber(JsonElement result)
    {
        foreach (var field in result.EnumerateObject())
        {
            switch (field.Value.ValueKind)
            {
                case JsonValueKind.Number when JsonBody.TryGetFinite(field.Value, out var value):
                    return value;
                case JsonValueKind.Object:
                    foreach (var inner in field.Value.EnumerateObject())
                    {
                        if (JsonBody.TryGetFinite(inner.Value, out var value))
                        {
                            return value;
                        }
                    }

                    break;
            }
        }

        return null;
    }

    private static string ErrorText(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString()!,
        JsonValueKind.Object when error.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String => title.GetString()!,
        JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString()!,
        _ => error.GetRawText(),
    };

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            " Check the query key (X-Query-Key), that it belongs to the account, and that the address is that of the account's region.",
        _ => string.Empty,
    };

    private static NewRelicQueryException Error(string message, string nrql, HttpStatusCode status) =>
        new($"{message} Query: {nrql}")
        {
            Query = nrql,
            StatusCode = status,
        };
}
