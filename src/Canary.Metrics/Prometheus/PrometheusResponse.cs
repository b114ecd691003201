using System.Globalization;
using System.Net;
using System.Text.Json;
using Canary.Analysis;

namespace Canary.Metrics.Prometheus;

/// <summary>
/// Reads an answer of Prometheus' <c>/api/v1/query</c>: one sample or a scalar is a value; an empty vector, NaN or an
/// infinity is no data; several series are no data too (Flagger silently keeps the last one, which may be any of
/// them); a matrix, a string or an error envelope is an error. <see cref="ReadSamples"/> reads every series of an
/// answer instead, for the traffic samples' histogram buckets.
/// </summary>
internal static class PrometheusResponse
{
    /// <summary>Turns an answer into a result.</summary>
    /// <param name="answer">The answer, with the query as sent and the server for messages.</param>
    /// <param name="redact">Removes the configured secrets from text the server sent.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="PrometheusQueryException">The answer is an error or not one value.</exception>
    public static MetricResult Read(PrometheusAnswer answer, Func<string, string> redact)
    {
        using var document = Parse(answer, redact, out var resultType, out var result);
        var (query, server, status) = (answer.Query, answer.Server, answer.Status);
        return resultType switch
        {
            "vector" => FromVector(result, query, server, status),
            "scalar" => FromSample(result, query, server, status, "scalar"),
            "matrix" => throw Error(
                $"Prometheus at {server} returned a range vector (matrix); an analysis query must return one instant value: " +
                "remove the trailing [range] selector, or wrap it in a function such as rate() and an aggregation such as sum().",
                query,
                status,
                null),
            _ => throw NotANumber(answer, resultType, redact),
        };
    }

    /// <summary>Reads an answer that may hold several series, such as the buckets of a histogram aggregated <c>by (le)</c>.</summary>
    /// <param name="answer">The answer, with the query as sent and the server for messages.</param>
    /// <param name="redact">Removes the configured secrets from text the server sent.</param>
    /// <returns>Every sample of an instant vector, or the one value of a scalar (without labels); an empty vector gives none.</returns>
    /// <exception cref="PrometheusQueryException">The answer is an error, a range vector, a string, or a sample that is not [time, "value"].</exception>
    public static IReadOnlyList<PrometheusSample> ReadSamples(PrometheusAnswer answer, Func<string, string> redact)
    {
        using var document = Parse(answer, redact, out var resultType, out var result);
        var (query, server, status) = (answer.Query, answer.Server, answer.Status);
        switch (resultType)
        {
            case "scalar":
                return [new PrometheusSample(new Dictionary<string, string>(), SampleValue(result, query, server, status, "scalar"))];
            case "vector" when result.ValueKind == JsonValueKind.Array:
                var samples = new List<PrometheusSample>(result.GetArrayLength());
                foreach (var series in result.EnumerateArray())
                {
                    if (series.ValueKind != JsonValueKind.Object || !series.TryGetProperty("value", out var value))
                    {
                        throw Error($"Prometheus at {server} returned a vector sample without a value.", query, status, null);
                    }

                    var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (series.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var label in metric.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.String))
                        {
                            labels[label.Name] = label.Value.GetString()!;
                        }
                    }

                    samples.Add(new PrometheusSample(labels, SampleValue(value, query, server, status, "vector sample")));
                }

                return samples;
            case "vector":
                throw Error($"Prometheus at {server} returned a vector that is not an array.", query, status, null);
            case "matrix":
                throw Error($"Prometheus at {server} returned a range vector (matrix) where an instant vector was expected.", query, status, null);
            default:
                throw NotANumber(answer, resultType, redact);
        }
    }

    /// <summary>Lists the warnings Prometheus attached to an answer.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The warnings and infos, possibly none.</returns>
    public static IReadOnlyList<string> Warnings(ReadOnlyMemory<byte> body)
    {
        using var document = TryParse(body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var warnings = new List<string>();
        foreach (var property in (ReadOnlySpan<string>)["warnings", "infos"])
        {
            if (document.RootElement.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                warnings.AddRange(list.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => w.GetString()!));
            }
        }

        return warnings;
    }

    private static MetricResult FromVector(JsonElement result, string query, string server, HttpStatusCode status)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw Error($"Prometheus at {server} returned a vector that is not an array.", query, status, null);
        }

        var series = result.GetArrayLength();
        if (series == 0)
        {
            return MetricResult.NoData(
                $"no data: the query returned an empty vector (no series matched, or none had samples in the window). Query: {query}");
        }

        if (series > 1)
        {
            return MetricResult.NoData(
                $"no data: the query returned {series} series, and an analysis query must return exactly one; aggregate it, for example with sum(...). Query: {query}");
        }

        var sample = result[0];
        if (sample.ValueKind != JsonValueKind.Object || !sample.TryGetProperty("value", out var value))
        {
            throw Error($"Prometheus at {server} returned a vector sample without a value.", query, status, null);
        }

        return FromSample(value, query, server, status, "vector sample");
    }

    private static MetricResult FromSample(JsonElement sample, string query, string server, HttpStatusCode status, string kind)
    {
        var value = SampleValue(sample, query, server, status, kind);
        var text = sample[1].GetString()!;
        if (double.IsNaN(value))
        {
            return MetricResult.NoData(
                $"no data: the query returned NaN, which a ratio gives when nothing happened in the window (0/0). Query: {query}");
        }

        if (double.IsInfinity(value))
        {
            return MetricResult.NoData(
                $"no data: the query returned {text}, which a ratio gives when its divisor is 0. Query: {query}");
        }

        return new MetricResult(value, null, query);
    }

    /// <summary>Checks the envelope of an answer and finds its <c>data.resultType</c> and <c>data.result</c>.</summary>
    /// <returns>The parsed document, which the caller disposes.</returns>
    private static JsonDocument Parse(PrometheusAnswer answer, Func<string, string> redact, out string? resultType, out JsonElement result)
    {
        var (status, contentType, query, server) = (answer.Status, answer.ContentType, answer.Query, answer.Server);
        var code = (int)status;
        var document = TryParse(answer.Body);
        try
        {
            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("status", out var state))
            {
                var kind = contentType is null ? "a body" : $"a {contentType} body";
                var hint = status switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " Check the bearer token or the basic-authentication credentials.",
                    HttpStatusCode.NotFound => " Check that the address is the Prometheus server's, with its path prefix if it has one.",
                    _ => string.Empty,
                };
                var message = code is >= 200 and < 300
                    ? $"Prometheus at {server} answered HTTP {code} with {kind} that is not a Prometheus API response; is the address that of a Prometheus server?"
                    : $"Prometheus at {server} answered HTTP {code} ({status}) with {kind}, not a Prometheus API response.{hint}";
                throw Error(message, query, status, null);
            }

            var root = document.RootElement;
            if (state.ValueKind != JsonValueKind.String || state.GetString() != "success")
            {
                var errorType = StringOrNull(root, "errorType") ?? "unknown";
                var error = StringOrNull(root, "error") ?? "(no error message)";
                throw Error(
                    $"Prometheus at {server} rejected the query ({errorType}, HTTP {code}): {redact(error)}",
                    query,
                    status,
                    errorType);
            }

            if (code is < 200 or >= 300)
            {
                throw Error($"Prometheus at {server} answered HTTP {code} ({status}) with a successful body, which is contradictory.", query, status, null);
            }

            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object ||
                !data.TryGetProperty("resultType", out var type) || !data.TryGetProperty("result", out result))
            {
                throw Error($"Prometheus at {server} answered without data.resultType and data.result.", query, status, null);
            }

            resultType = type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            return document;
        }
        catch
        {
            document?.Dispose();
            throw;
        }
    }

    private static PrometheusQueryException NotANumber(PrometheusAnswer answer, string? resultType, Func<string, string> redact) => resultType == "string"
        ? Error($"Prometheus at {answer.Server} returned a string; an analysis query must return a number.", answer.Query, answer.Status, null)
        : Error($"Prometheus at {answer.Server} returned the unknown result type \"{redact(resultType ?? "null")}\".", answer.Query, answer.Status, null);

    // A sample is [ <unix time>, "<value>" ]; Prometheus writes special values as "NaN", "+Inf" and "-Inf".
    private static double SampleValue(JsonElement sample, string query, string server, HttpStatusCode status, string kind)
    {
        if (sample.ValueKind != JsonValueKind.Array || sample.GetArrayLength() != 2 || sample[1].ValueKind != JsonValueKind.String)
        {
            throw Error($"Prometheus at {server} returned a {kind} that is not [time, \"value\"].", query, status, null);
        }

        var text = sample[1].GetString()!;
        return text switch
        {
            "NaN" => double.NaN,
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw Error($"Prometheus at {server} returned a {kind} whose value is not a number.", query, status, null),
        };
    }

    private static JsonDocument? TryParse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return body.IsEmpty ? null : JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringOrNull(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static PrometheusQueryException Error(string message, string query, HttpStatusCode status, string? errorType) =>
        new($"{message} Query: {query}")
        {
            Query = query,
            StatusCode = status,
            ErrorType = errorType,
        };
}
