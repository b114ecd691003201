namespace Canary.Metrics.Http;

/// <summary>Scrubs credentials out of text that a server sent back, before it reaches a message or a log line.</summary>
internal sealed class SecretRedactor
{
    /// <summary>The text put in place of a credential.</summary>
    public const string Placeholder = "[redacted]";

    private readonly string[] _secrets;

    /// <summary>Initializes a new instance of the <see cref="SecretRedactor"/> class.</summary>
    /// <param name="secrets">The credentials; <see langword="null"/> and empty ones are skipped.</param>
    public SecretRedactor(IEnumerable<string?> secrets)
    {
        // Longest first, so that a credential that contains another is scrubbed whole.
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>Gets a redactor that knows these credentials and more.</summary>
    /// <param name="more">The further credentials.</param>
    /// <returns>The redactor.</returns>
    public SecretRedactor With(IEnumerable<string?> more) => new(_secrets.Concat(more));

    /// <summary>Replaces every credential in a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without credentials.</returns>
    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Placeholder, StringComparison.Ordinal);
        }

        return text;
    }
}
