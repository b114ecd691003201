using Microsoft.Extensions.Options;

namespace Canary.Resilience;

/// <summary>Validates <see cref="CanaryResilienceOptions"/> when the host starts, with every error at once.</summary>
internal sealed class CanaryResilienceOptionsValidator : IValidateOptions<CanaryResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, CanaryResilienceOptions options)
    {
        var errors = new List<string>();
        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(options.AttemptTimeout)}: must be positive");
        }

        if (options.MaxRetryAttempts is < 0 or > 100)
        {
            errors.Add($"{nameof(options.MaxRetryAttempts)}: must be between 0 and 100");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{nameof(options.RetryBaseDelay)}: must not be negative");
        }

        if (options.CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"{nameof(options.CircuitBreakerFailureRatio)}: must be greater than 0 and at most 1");
        }

        if (options.CircuitBreakerMinimumThroughput < 2)
        {
            errors.Add($"{nameof(options.CircuitBreakerMinimumThroughput)}: must be at least 2");
        }

        if (options.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{nameof(options.CircuitBreakerSamplingDuration)}: must be at least 500ms");
        }

        if (options.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{nameof(options.CircuitBreakerBreakDuration)}: must be at least 500ms");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
