namespace Canary.Resilience;

/// <summary>How calls to the ports (routers, workloads, metric providers, webhooks, the status store) are retried, broken and timed out.</summary>
public sealed class CanaryResilienceOptions
{
    /// <summary>Gets or sets how long one attempt of a port call may take.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a transient failure is retried.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first retry's delay; later ones back off exponentially, with jitter.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the share of failing calls, over <see cref="CircuitBreakerSamplingDuration"/>, that opens a port's circuit.</summary>
    /// <value>The default value is 0.5.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest calls in a sampling window before the circuit can open.</summary>
    /// <value>The default value is 20.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long an open circuit fails calls before it lets one through.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets which failures are transient and worth a retry; <see langword="null"/> uses <see cref="TransientFailures.IsTransient"/>.</summary>
    public Func<Exception, bool>? IsTransient { get; set; }
}
