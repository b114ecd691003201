namespace Canary.Model;

/// <summary>A webhook that gates or accompanies the rollout, as Flagger's <c>analysis.webhooks</c>.</summary>
public sealed record WebhookSpec
{
    /// <summary>The default webhook timeout: ten seconds, as in Flagger.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Gets the webhook's name, used in events.</summary>
    public required string Name { get; init; }

    /// <summary>Gets when the webhook is called and what its answer means.</summary>
    /// <value>The default value is <see cref="WebhookType.Rollout"/>.</value>
    public WebhookType Type { get; init; } = WebhookType.Rollout;

    /// <summary>Gets the URL the payload is posted to.</summary>
    public required Uri Url { get; init; }

    /// <summary>Gets how long one call may take.</summary>
    /// <value>The default value is ten seconds.</value>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Gets how many times a failed call is retried.</summary>
    public int Retries { get; init; }

    /// <summary>Gets a value indicating whether the alerts of confirm gates are silenced.</summary>
    public bool MuteAlert { get; init; }

    /// <summary>Gets the metadata posted with the payload.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyDictionary.Instance;
}
