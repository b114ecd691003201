using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Canary.Resilience;

/// <summary>
/// One Polly pipeline per port (timeout per attempt, retry with jittered backoff on transient failures only, and a
/// circuit breaker), so that a failing metric provider cannot trip the router's circuit.
/// </summary>
public sealed class CanaryResiliencePipelines
{
    /// <summary>Initializes a new instance of the <see cref="CanaryResiliencePipelines"/> class.</summary>
    /// <param name="options">The resilience options.</param>
    /// <param name="timeProvider">The clock for delays, timeouts and circuit breaks.</param>
    public CanaryResiliencePipelines(IOptions<CanaryResilienceOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var value = options.Value;
        Router = Build(value, timeProvider);
        Workloads = Build(value, timeProvider);
        Metrics = Build(value, timeProvider);
        Webhooks = Build(value, timeProvider);
        Store = Build(value, timeProvider);
    }

    /// <summary>Gets the pipeline around traffic router calls.</summary>
    public ResiliencePipeline Router { get; }

    /// <summary>Gets the pipeline around workload controller calls.</summary>
    public ResiliencePipeline Workloads { get; }

    /// <summary>Gets the pipeline around metric queries.</summary>
    public ResiliencePipeline Metrics { get; }

    /// <summary>Gets the pipeline around webhook calls.</summary>
    public ResiliencePipeline Webhooks { get; }

    /// <summary>Gets the pipeline around status store calls.</summary>
    public ResiliencePipeline Store { get; }

    /// <summary>Gets pipelines that call the ports once, with no timeout, retry or breaker: for tests and benchmarks of the engine alone.</summary>
    public static CanaryResiliencePipelines None { get; } = new();

    private CanaryResiliencePipelines()
    {
        Router = Workloads = Metrics = Webhooks = Store = ResiliencePipeline.Empty;
    }

    private static ResiliencePipeline Build(CanaryResilienceOptions options, TimeProvider timeProvider)
    {
        var isTransient = options.IsTransient ?? TransientFailures.IsTransient;
        var shouldHandle = new PredicateBuilder().Handle<Exception>(isTransient);
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // A slow gateway or a rollout in progress is not a broken port: waiting must not cut the port off.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => isTransient(e) && !TransientFailures.IsPending(e)),
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout })
            .Build();
    }
}
