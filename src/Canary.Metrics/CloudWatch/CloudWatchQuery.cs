using System.Buffers;
using System.Text.Json;
using Canary.Metrics.Templates;

namespace Canary.Metrics.CloudWatch;

/// <summary>
/// The body of a <c>GetMetricData</c> call: the template's query, a JSON array of <c>MetricDataQuery</c> objects as
/// Flagger's cloudwatch templates hold, and the window, newest values first.
/// </summary>
internal static class CloudWatchQuery
{
    /// <summary>Checks that a rendered query is a JSON array of objects with an <c>Id</c>.</summary>
    /// <param name="query">The rendered query.</param>
    /// <param name="source">The template, for messages.</param>
    /// <returns>The array.</returns>
    /// <exception cref="MetricTemplateException">The query is not such an array.</exception>
    public static JsonElement Parse(string query, string source)
    {
        JsonElement queries;
        try
        {
            using var document = JsonDocument.Parse(query);
            queries = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new MetricTemplateException(
                $"{source} has a query that is not JSON ({ex.Message}); a cloudwatch template holds a JSON array of MetricDataQuery objects.",
                source,
                null);
        }

        if (queries.ValueKind != JsonValueKind.Array || queries.GetArrayLength() == 0)
        {
            throw new MetricTemplateException(
                $"{source} must hold a non-empty JSON array of MetricDataQuery objects, as Flagger's cloudwatch templates do.",
                source,
                null);
        }

        var index = 0;
        foreach (var item in queries.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("Id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new MetricTemplateException(
                    $"{source}: MetricDataQuery {index} is not an object with a string \"Id\".",
                    source,
                    null);
            }

            index++;
        }

        return queries;
    }

    /// <summary>Writes the body of the call.</summary>
    /// <param name="queries">The <c>MetricDataQuery</c> array.</param>
    /// <param name="start">The start of the window.</param>
    /// <param name="end">The end of the window.</param>
    /// <returns>The body, UTF-8 JSON.</returns>
    public static byte[] Body(JsonElement queries, DateTimeOffset start, DateTimeOffset end)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("MetricDataQueries");
            queries.WriteTo(writer);

            // The JSON protocol writes timestamps as seconds since the epoch.
            writer.WriteNumber("StartTime", start.ToUnixTimeSeconds());
            writer.WriteNumber("EndTime", end.ToUnixTimeSeconds());
            writer.WriteString("ScanBy", "TimestampDescending");
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
