using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Canary.Model;

namespace Canary.Gates;

/// <summary>
/// Posts Flagger's webhook payload as JSON. Any 2xx answer passes, as Flagger's documentation says (its code accepts
/// only up to 202); a timeout, a connection failure or another status fails, after the webhook's own retries.
/// </summary>
/// <param name="httpClient">The client to post with; its own timeout should be infinite, since each webhook sets one.</param>
/// <param name="timeProvider">The clock for the backoff between retries.</param>
public sealed class HttpWebhookClient(HttpClient httpClient, TimeProvider timeProvider) : IWebhookClient
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <inheritdoc />
    public async ValueTask<WebhookResult> CallAsync(WebhookSpec webhook, WebhookPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(payload);
        var result = WebhookResult.Failure("not called");
        for (var attempt = 0; attempt <= webhook.Retries; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt - 1)), timeProvider, cancellationToken);
            }

            result = await CallOnceAsync(webhook, payload, cancellationToken);
            if (result.Succeeded)
            {
                return result;
            }
        }

        return result;
    }

    private async Task<WebhookResult> CallOnceAsync(WebhookSpec webhook, WebhookPayload payload, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(webhook.Timeout);
        try
        {
            using var response = await httpClient.PostAsJsonAsync(webhook.Url, payload, JsonOptions, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new WebhookResult(true, status);
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var firstLine = body.Split('\n', 2)[0].Trim();
            return WebhookResult.Failure($"status {status}{(firstLine.Length > 0 ? ": " + Truncate(firstLine) : string.Empty)}", status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WebhookResult.Failure($"timed out after {webhook.Timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException exception)
        {
            return WebhookResult.Failure(exception.Message);
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
