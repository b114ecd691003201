using System.Collections.Concurrent;
using Canary.Gates;
using Canary.Model;

namespace Canary.Testing.Simulation;

/// <summary>
/// Answers webhooks without a network: each passes unless told to fail. A rollout hook with a <c>cmd</c> in its
/// metadata is a load tester, as in Flagger's load tester, and starts load-test traffic against the canary.
/// </summary>
/// <param name="traffic">The traffic that a load-test hook starts, or <see langword="null"/>.</param>
public sealed class SimulatedWebhookClient(SimulatedTraffic? traffic = null) : IWebhookClient
{
    private readonly ConcurrentDictionary<string, bool> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(WebhookSpec Webhook, WebhookPayload Payload)> _calls = new();

    /// <summary>Gets every call made, in order.</summary>
    public IReadOnlyCollection<(WebhookSpec Webhook, WebhookPayload Payload)> Calls => _calls;

    /// <summary>Sets whether the webhook named <paramref name="name"/> passes.</summary>
    /// <param name="name">The webhook's name.</param>
    /// <param name="passes">Whether it answers 2xx.</param>
    public void SetOutcome(string name, bool passes) => _outcomes[name] = passes;

    /// <inheritdoc />
    public ValueTask<WebhookResult> CallAsync(WebhookSpec webhook, WebhookPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(payload);
        _calls.Enqueue((webhook, payload));
        var passes = _outcomes.GetValueOrDefault(webhook.Name, true);
        if (passes && webhook.Type == WebhookType.Rollout && webhook.Metadata.ContainsKey("cmd"))
        {
            traffic?.StartLoadTest(new CanaryId(payload.Name, payload.Namespace));
        }

        return ValueTask.FromResult(passes ? WebhookResult.Success : WebhookResult.Failure("simulated failure", 500));
    }
}
