using System.Globalization;
using System.Text.Json;

namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>Reads the JSON credentials that the container agent and instance metadata serve.</summary>
internal static class CredentialDocument
{
    /// <summary>Reads <c>AccessKeyId</c>, <c>SecretAccessKey</c>, <c>Token</c> and <c>Expiration</c>.</summary>
    /// <param name="body">The JSON document.</param>
    /// <param name="source">The source, for messages.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="CloudWatchQueryException">The document is not credentials; the message never holds its values.</exception>
    public static AwsCredentials Read(string body, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && Text(root, "AccessKeyId") is { } keyId
                && Text(root, "SecretAccessKey") is { } secret)
            {
                return new AwsCredentials(keyId, secret, Text(root, "Token"), Expiration(Text(root, "Expiration")));
            }
        }
        catch (JsonException)
        {
            // Reported below, without the body, which may hold a key.
        }

        throw new CloudWatchQueryException($"{source} answered something that is not AWS credentials (AccessKeyId, SecretAccessKey).");
    }

    /// <summary>Reads an ISO 8601 expiration time.</summary>
    /// <param name="text">The time, or <see langword="null"/>.</param>
    /// <returns>The time, or <see langword="null"/> when absent or unreadable.</returns>
    public static DateTimeOffset? Expiration(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
