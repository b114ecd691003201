using Canary.Model;

namespace Canary.Gates;

/// <summary>
/// The URL schemes a webhook may use: <c>http</c> and <c>https</c> are posted to; <c>approval</c> marks a confirm gate
/// that the host's <see cref="IApprovalGate"/> answers; <c>exec</c> marks a test that the host's <see cref="ITestGate"/> runs.
/// </summary>
public static class WebhookSchemes
{
    /// <summary>The scheme of approval gates, as in <c>approval://release-managers</c>.</summary>
    public const string Approval = "approval";

    /// <summary>The scheme of local test gates, as in <c>exec://smoke-tests</c>.</summary>
    public const string Exec = "exec";

    /// <summary>Returns whether the webhook is an approval gate that the engine asks the host's <see cref="IApprovalGate"/> about.</summary>
    /// <param name="webhook">The webhook.</param>
    /// <returns><see langword="true"/> for a confirm-rollout or confirm-promotion hook whose URL has the <c>approval</c> scheme.</returns>
    public static bool IsApprovalGate(WebhookSpec webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return webhook.Type is WebhookType.ConfirmRollout or WebhookType.ConfirmPromotion && HasScheme(webhook, Approval);
    }

    /// <summary>Returns whether the webhook is a test that an <see cref="ITestGate"/> runs on the engine's host.</summary>
    /// <param name="webhook">The webhook.</param>
    /// <returns><see langword="true"/> when its URL has the <c>exec</c> scheme.</returns>
    public static bool IsTestGate(WebhookSpec webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return HasScheme(webhook, Exec);
    }

    internal static bool IsHttp(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static bool HasScheme(WebhookSpec webhook, string scheme) =>
        webhook.Url.IsAbsoluteUri && string.Equals(webhook.Url.Scheme, scheme, StringComparison.OrdinalIgnoreCase);
}
