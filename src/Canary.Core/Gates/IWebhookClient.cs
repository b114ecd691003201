using Canary.Model;

namespace Canary.Gates;

/// <summary>Calls a webhook of the analysis: a gate, a test, a load generator, an event sink.</summary>
public interface IWebhookClient
{
    /// <summary>Posts the payload to the webhook and reports its answer; a failure is reported, not thrown.</summary>
    /// <param name="webhook">The webhook, with its URL, timeout and retries.</param>
    /// <param name="payload">What to post.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>Whether the webhook answered with success.</returns>
    ValueTask<WebhookResult> CallAsync(WebhookSpec webhook, WebhookPayload payload, CancellationToken cancellationToken);
}
