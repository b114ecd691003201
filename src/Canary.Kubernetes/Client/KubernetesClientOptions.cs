using Canary.Validation;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Client;

/// <summary>How <see cref="KubernetesApiClient"/> retries, times out and logs.</summary>
/// <remarks>
/// Only transient failures are retried: 429 (after its Retry-After), 500, 502, 503, 504, connection failures and per-request
/// timeouts. Client errors such as 409 Conflict or 422 Invalid never are.
/// </remarks>
public sealed class KubernetesClientOptions
{
    /// <summary>The largest accepted <see cref="MaxRetryAttempts"/>.</summary>
    public const int MaxRetryAttemptsLimit = 20;

    /// <summary>Gets or sets how many times a failed request is retried.</summary>
    /// <value>The default is 3; 0 turns retries off.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the exponential backoff between retries.</summary>
    /// <value>The default is 500 milliseconds. <see cref="TimeSpan.Zero"/> retries at once, which tests use.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets the longest delay between retries. A Retry-After longer than this is not waited for: the request fails with
    /// <see cref="KubernetesException.RetryAfter"/> set, so the caller decides.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether backoff delays are jittered, so that many clients do not retry in step.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Gets or sets how long one attempt may take, or <see langword="null"/> for the configuration's
    /// <see cref="Configuration.KubernetesClientConfiguration.Timeout"/>. A watch is bound by it only until its response headers arrive.
    /// </summary>
    /// <value>The default is <see langword="null"/> (100 seconds unless the configuration says otherwise).</value>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>Gets or sets the clock for retry delays and timeouts, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets where retries, skipped watch lines and credential refreshes are logged, or <see langword="null"/> for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the User-Agent header.</summary>
    /// <value>The default is <c>Canary/0.1</c>.</value>
    public string UserAgent { get; set; } = "Canary/0.1";

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (MaxRetryAttempts is < 0 or > MaxRetryAttemptsLimit)
        {
            errors.Add(new(nameof(MaxRetryAttempts), $"must be between 0 and {MaxRetryAttemptsLimit}"));
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromHours(1))
        {
            errors.Add(new(nameof(RetryBaseDelay), "must be between 0 and 1 hour"));
        }

        if (RetryMaxDelay < TimeSpan.Zero || RetryMaxDelay > TimeSpan.FromDays(1))
        {
            errors.Add(new(nameof(RetryMaxDelay), "must be between 0 and 1 day"));
        }

        if (RequestTimeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(11) || timeout >= TimeSpan.FromDays(1)))
        {
            errors.Add(new(nameof(RequestTimeout), "must be more than 10 milliseconds and less than 1 day"));
        }

        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            errors.Add(new(nameof(UserAgent), "must not be empty"));
        }

        return errors;
    }
}
