using System.Net;
using System.Text.Json;
using Canary.Analysis;
using Canary.Metrics.Http;

namespace Canary.Metrics.CloudWatch;

/// <summary>
/// Reads an answer of CloudWatch's <c>GetMetricData</c> over the JSON protocol: the first value of the first result
/// (newest first) is the value; no results, or a first result without values, is no data; an error body
/// (<c>{"__type": ..., "message": ...}</c>), a result whose status is <c>Forbidden</c> or <c>InternalError</c>, and
/// HTTP errors are errors.
/// </summary>
internal static class CloudWatchResponse
{
    private static readonly string[] CredentialErrors =
    [
        "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidSignatureException",
        "IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
        "ExpiredToken", "ExpiredTokenException", "AccessDenied", "AccessDeniedException",
    ];

    /// <summary>Turns an answer into a result.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="query">The query, for messages and the result.</param>
    /// <param name="server">The endpoint, for messages.</param>
    /// <param name="redactor">Scrubs the credentials out of text the server sent.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="CloudWatchQueryException">The answer is an error or not <c>GetMetricData</c> results.</exception>
    public static MetricResult Read(HttpAnswer answer, string query, string server, SecretRedactor redactor)
    {
        using var document = JsonBody.TryParse(answer.Body);
        var root = document?.RootElement;
        if (!answer.IsSuccess)
        {
            var type = ErrorType(root, answer);
            var message = root is { ValueKind: JsonValueKind.Object } error ? Text(error, "message") ?? Text(error, "Message") : null;
            var hint = answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || CredentialErrors.Contains(type)
                ? " Check the AWS credentials (aws_access_key_id, aws_secret_access_key, aws_session_token), the region, and that they allow cloudwatch:GetMetricData."
                : string.Empty;
            if (type is null && message is null)
            {
                throw Error($"CloudWatch at {server} answered {answer.Status} with {answer.BodyKind}, not a CloudWatch response.{hint}", query, answer.StatusCode, null);
            }

            throw Error(
                $"CloudWatch at {server} rejected the query ({answer.Status}, {type ?? "unknown error"}): {redactor.Redact(message ?? "(no message)")}{hint}",
                query,
                answer.StatusCode,
                type is null ? null : redactor.Redact(type));
        }

        if (root is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("MetricDataResults", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw Error(
                $"CloudWatch at {server} answered {answer.Status} without MetricDataResults; is the address that of CloudWatch's monitoring endpoint?",
                query,
                answer.StatusCode,
                null);
        }

        if (results.GetArrayLength() == 0)
        {
            return MetricResult.NoData($"no data: GetMetricData returned no results (does every query set \"ReturnData\": false?). Query: {query}");
        }

        var first = results[0];
        var id = first.ValueKind == JsonValueKind.Object ? redactor.Redact(Text(first, "Id") ?? "?") : "?";
        var status = first.ValueKind == JsonValueKind.Object ? Text(first, "StatusCode") : null;
        if (status is "Forbidden" or "InternalError")
        {
            var messages = first.TryGetProperty("Messages", out var list) && list.ValueKind == JsonValueKind.Array
                ? string.Join("; ", list.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Object ? $"{Text(m, "Code")}: {Text(m, "Value")}" : m.GetRawText()))
                : string.Empty;
            throw Error(
                $"CloudWatch at {server} could not compute result \"{id}\" ({status}){(messages.Length == 0 ? "." : $": {redactor.Redact(messages)}")}",
                query,
                answer.StatusCode,
                status);
        }

        if (!first.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
        {
            return MetricResult.NoData($"no data: result \"{id}\" has no values in the window. Query: {query}");
        }

        return JsonBody.TryGetFinite(values[0], out var value)
            ? new MetricResult(value, null, query)
            : throw Error($"CloudWatch at {server} returned a value of result \"{id}\" that is not a number.", query, answer.StatusCode, null);
    }

    // "com.amazonaws.cloudwatch#InvalidParameterValueException" and "InvalidParameterValue:http://..." both name
    // their code; the query-compatible header "InvalidParameterValue;Sender" names it when the body does not.
    private static string? ErrorType(JsonElement? root, HttpAnswer answer)
    {
        var type = root is { ValueKind: JsonValueKind.Object } error ? Text(error, "__type") : null;
        if (type is null && answer.Headers.TryGetValues("x-amzn-query-error", out var header))
        {
            type = header.FirstOrDefault()?.Split(';')[0];
        }

        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        type = type[(type.LastIndexOf('#') + 1)..];
        var colon = type.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? type : type[..colon];
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static CloudWatchQueryException Error(string message, string query, HttpStatusCode status, string? errorType) =>
        new($"{message} Query: {query}")
        {
            Query = query,
            StatusCode = status,
            ErrorType = errorType,
        };
}
