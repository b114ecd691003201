namespace Canary.Gates;

/// <summary>How <see cref="HttpWebhookClient"/> backs off between the retries that a webhook's <c>retries</c> field allows.</summary>
public sealed class HttpWebhookClientOptions
{
    /// <summary>Gets or sets the delay before the first retry; each later retry waits twice as long, up to <see cref="RetryMaxDelay"/>.</summary>
    /// <value>The default value is one second, as Flagger's retrying HTTP client waits.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns the delay before a retry: the base delay doubled for each retry before it, capped at the maximum.</summary>
    /// <param name="retry">The retry, 1 for the first.</param>
    /// <returns>The delay.</returns>
    public TimeSpan RetryDelay(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var max = RetryMaxDelay < TimeSpan.Zero ? TimeSpan.Zero : RetryMaxDelay;
        var baseDelay = RetryBaseDelay < TimeSpan.Zero ? TimeSpan.Zero : RetryBaseDelay;

        // Past 2^30 the cap has long been reached; stopping there keeps the multiplication from overflowing.
        var factor = Math.Pow(2, Math.Min(retry - 1, 30));
        var ticks = baseDelay.Ticks * factor;
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
