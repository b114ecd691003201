using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Canary.Metrics.Http;

/// <summary>Reads answer bodies: JSON when there is some, and a short excerpt of text for messages.</summary>
internal static partial class JsonBody
{
    private const int MaxExcerptLength = 300;

    /// <summary>Parses a body as JSON.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The document, or <see langword="null"/> when the body is empty or not JSON.</returns>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body)
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

    /// <summary>Reads a JSON number that a double holds as a finite value.</summary>
    /// <param name="element">The element.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for a number within a double's range; the reader turns larger ones into infinities.</returns>
    public static bool TryGetFinite(JsonElement element, out double value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads the start of a text body for a message: markup removed, whitespace collapsed, credentials scrubbed.</summary>
    /// <param name="body">The body.</param>
    /// <param name="redactor">Scrubs credentials.</param>
    /// <returns>The excerpt, or <see langword="null"/> when there is no text.</returns>
    public static string? Excerpt(ReadOnlyMemory<byte> body, SecretRedactor redactor)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        // Decode more than we keep, so that markup at the start does not leave nothing to show.
        var text = Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 16 * 1024)]);
        text = Whitespace().Replace(Markup().Replace(text, " "), " ").Trim();
        text = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        if (text.Length == 0)
        {
            return null;
        }

        // Scrub before cutting, so that a credential cut in half cannot survive.
        text = redactor.Redact(text);
        return text.Length > MaxExcerptLength ? text[..MaxExcerptLength] + "..." : text;
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
