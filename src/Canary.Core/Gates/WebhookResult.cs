namespace Canary.Gates;

/// <summary>A webhook's answer.</summary>
/// <param name="Succeeded">Whether it answered 2xx in time.</param>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> if none arrived.</param>
/// <param name="Message">Why it failed, or the body's first line.</param>
public readonly record struct WebhookResult(bool Succeeded, int? StatusCode = null, string? Message = null)
{
    /// <summary>Gets a passing answer.</summary>
    public static WebhookResult Success => new(true, 200);

    /// <summary>Returns a failing answer.</summary>
    /// <param name="message">Why it failed.</param>
    /// <param name="statusCode">The HTTP status, if any.</param>
    /// <returns>The result.</returns>
    public static WebhookResult Failure(string message, int? statusCode = null) => new(false, statusCode, message);
}
