using Canary.Model;
using Microsoft.Extensions.Logging;
using Polly;

namespace Canary.Gates;

/// <summary>Runs the spec's webhooks of one type and turns their answers into a gate outcome.</summary>
internal sealed class WebhookGates(IWebhookClient client, ResiliencePipeline pipeline, ILogger logger)
{
    /// <summary>
    /// Calls the hooks of <paramref name="type"/> in order and stops at the first that fails, as Flagger does.
    /// Approval gates are left to the engine, which asks the host's <see cref="IApprovalGate"/> once these have passed.
    /// </summary>
    public async ValueTask<GateOutcome> RunAsync(CanaryResource canary, CanaryStatus status, WebhookType type, CancellationToken cancellationToken)
    {
        foreach (var webhook in canary.Spec.Analysis.Webhooks)
        {
            if (webhook.Type != type || WebhookSchemes.IsApprovalGate(webhook))
            {
                continue;
            }

            var result = await CallAsync(canary, status, webhook, webhook.Metadata, cancellationToken);
            if (!result.Succeeded)
            {
                return GateOutcome.Fail(webhook, result.Message ?? $"status {result.StatusCode}");
            }
        }

        return GateOutcome.Pass;
    }

    /// <summary>Calls the rollback hooks and returns the first that answers with success: that hook asks for a rollback.</summary>
    public async ValueTask<WebhookSpec?> FindRollbackRequestAsync(CanaryResource canary, CanaryStatus status, CancellationToken cancellationToken)
    {
        foreach (var webhook in canary.Spec.Analysis.Webhooks)
        {
            if (webhook.Type == WebhookType.Rollback
                && (await CallAsync(canary, status, webhook, webhook.Metadata, cancellationToken)).Succeeded)
            {
                return webhook;
            }
        }

        return null;
    }

    /// <summary>Calls every hook of <paramref name="type"/>; their answers are only logged (post-rollout and event hooks).</summary>
    public async ValueTask NotifyAsync(
        CanaryResource canary,
        CanaryStatus status,
        WebhookType type,
        IReadOnlyDictionary<string, string>? extraMetadata,
        CancellationToken cancellationToken)
    {
        foreach (var webhook in canary.Spec.Analysis.Webhooks)
        {
            if (webhook.Type != type)
            {
                continue;
            }

            var metadata = extraMetadata is null ? webhook.Metadata : Merge(webhook.Metadata, extraMetadata);
            var result = await CallAsync(canary, status, webhook, metadata, cancellationToken);
            if (!result.Succeeded)
            {
                logger.LogWarning("Webhook {Webhook} of canary {Canary} failed: {Reason}", webhook.Name, canary.Id, result.Message);
            }
        }
    }

    private async ValueTask<WebhookResult> CallAsync(
        CanaryResource canary,
        CanaryStatus status,
        WebhookSpec webhook,
        IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        var payload = new WebhookPayload(canary.Id.Name, canary.Id.Namespace, status.Phase, status.LastAppliedSpec ?? string.Empty, metadata);
        try
        {
            return await pipeline.ExecuteAsync(
                static (state, ct) => state.client.CallAsync(state.webhook, state.payload, ct),
                (client, webhook, payload),
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A webhook that cannot be reached fails its gate; it never stops the engine.
            return WebhookResult.Failure(exception.Message);
        }
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> first, IReadOnlyDictionary<string, string> second)
    {
        var merged = new Dictionary<string, string>(first, StringComparer.Ordinal);
        foreach (var (key, value) in second)
        {
            merged[key] = value;
        }

        return merged;
    }
}
