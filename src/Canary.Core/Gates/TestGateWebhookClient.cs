using Canary.Model;

namespace Canary.Gates;

/// <summary>
/// Sends webhooks whose URL has the <c>exec:</c> scheme to a local <see cref="ITestGate"/> and every other webhook to
/// the HTTP client it wraps. The engine composes it when the host registered a test gate.
/// </summary>
/// <param name="inner">The client for every other webhook.</param>
/// <param name="tests">The test gate.</param>
public sealed class TestGateWebhookClient(IWebhookClient inner, ITestGate tests) : IWebhookClient
{
    /// <inheritdoc />
    public async ValueTask<WebhookResult> CallAsync(WebhookSpec webhook, WebhookPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(payload);
        if (!WebhookSchemes.IsTestGate(webhook))
        {
            return await inner.CallAsync(webhook, payload, cancellationToken);
        }

        var request = new TestGateRequest(
            webhook.Name,
            webhook.Type,
            new CanaryId(payload.Name, payload.Namespace),
            payload.Phase,
            payload.Checksum,
            webhook.Timeout,
            webhook.Url,
            payload.Metadata);
        var result = await tests.RunAsync(request, cancellationToken);
        return result.Passed ? new WebhookResult(true, null, null) : WebhookResult.Failure(result.Message ?? "test failed");
    }
}
