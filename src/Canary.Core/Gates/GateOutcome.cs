using Canary.Model;

namespace Canary.Gates;

/// <summary>The outcome of a gate: passed, or the webhook that failed it and why.</summary>
internal readonly record struct GateOutcome(bool Passed, WebhookSpec? FailedWebhook, string? Reason)
{
    public static GateOutcome Pass => new(true, null, null);

    public static GateOutcome Fail(WebhookSpec webhook, string reason) => new(false, webhook, reason);
}
