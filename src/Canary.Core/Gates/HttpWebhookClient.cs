using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Canary.Model;

namespace Canary.Gates;

/// <summary>
/// Posts Flagger's webhook payload (<c>name</c>, <c>namespace</c>, <c>phase</c>, <c>checksum</c>, <c>metadata</c>) as
/// JSON. Any 2xx answer passes, as Flagger's documentation says (its code accepts only up to 202); a timeout, a
/// connection failure or another status fails.
/// </summary>
/// <remarks>
/// Each attempt may take the webhook's <c>timeout</c>. A failure that may pass on a second try (no connection, a
/// timeout, 429, or a 5xx other than 501, the failures Flagger's retrying HTTP client retries) is tried again up to
/// the webhook's <c>retries</c> times, with exponential backoff; any other answer, such as a closed gate's 403, is final.
/// </remarks>
/// <param name="httpClient">The client to post with; its own timeout should be infinite, since each webhook sets one.</param>
/// <param name="timeProvider">The clock for timeouts and backoff: the system clock, unless a test drives it.</param>
/// <param name="options">The backoff between retries, or <see langword="null"/> for the defaults.</param>
public sealed class HttpWebhookClient(HttpClient httpClient, TimeProvider timeProvider, HttpWebhookClientOptions? options = null) : IWebhookClient
{
    private const int BodyExcerptLength = 200;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpWebhookClientOptions _options = options ?? new HttpWebhookClientOptions();

    /// <inheritdoc />
    public async ValueTask<WebhookResult> CallAsync(WebhookSpec webhook, WebhookPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(payload);
        if (!WebhookSchemes.IsHttp(webhook.Url))
        {
            return WebhookResult.Failure(UnsupportedScheme(webhook));
        }

        if (webhook.Timeout <= TimeSpan.Zero && webhook.Timeout != Timeout.InfiniteTimeSpan)
        {
            return WebhookResult.Failure($"timeout must be positive, not {webhook.Timeout}");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(payload, JsonOptions);
        var retries = Math.Max(0, webhook.Retries);
        for (var attempt = 0; ; attempt++)
        {
            var (result, retryable) = await CallOnceAsync(webhook, body, cancellationToken);
            if (result.Succeeded || !retryable || attempt >= retries)
            {
                return result;
            }

            await Task.Delay(_options.RetryDelay(attempt + 1), timeProvider, cancellationToken);
        }
    }

    private async Task<(WebhookResult Result, bool Retryable)> CallOnceAsync(WebhookSpec webhook, byte[] body, CancellationToken cancellationToken)
    {
        // Created before the first await, so that a test's manual clock can time the attempt out deterministically.
        using var timeout = new CancellationTokenSource(webhook.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = JsonContentType;
            using var response = await httpClient.PostAsync(webhook.Url, content, linked.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (new WebhookResult(true, status), false);
            }

            var excerpt = FirstLine(await response.Content.ReadAsStringAsync(linked.Token));
            var message = excerpt.Length > 0 ? $"status {status}: {excerpt}" : $"status {status}";
            return (WebhookResult.Failure(message, status), IsRetryable(response.StatusCode));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (WebhookResult.Failure($"timed out after {webhook.Timeout.TotalSeconds:0.###}s"), true);
        }
        catch (HttpRequestException exception)
        {
            return (WebhookResult.Failure(exception.Message), true);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    private static string FirstLine(string body)
    {
        var line = body.Split('\n', 2)[0].Trim();
        return line.Length <= BodyExcerptLength ? line : line[..BodyExcerptLength] + "…";
    }

    private static string UnsupportedScheme(WebhookSpec webhook) =>
        webhook.Url.IsAbsoluteUri
            ? webhook.Url.Scheme.ToUpperInvariant() switch
            {
                "APPROVAL" => $"URL scheme \"{WebhookSchemes.Approval}\" is only valid on confirm-rollout and confirm-promotion hooks, not on {webhook.Type} hooks",
                "EXEC" => $"URL scheme \"{WebhookSchemes.Exec}\" needs a test gate on the host: register one with AddCommandTestGates() or AddTestGate<T>()",
                _ => $"URL scheme \"{webhook.Url.Scheme}\" is not supported: use http or https",
            }
            : "URL must be absolute";
}
