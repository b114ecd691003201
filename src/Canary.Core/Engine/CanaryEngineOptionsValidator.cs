using Canary.Model;
using Microsoft.Extensions.Options;

namespace Canary.Engine;

/// <summary>Validates <see cref="CanaryEngineOptions"/> when the host starts.</summary>
internal sealed class CanaryEngineOptionsValidator : IValidateOptions<CanaryEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, CanaryEngineOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DefaultProvider) || !TrafficProviders.IsKnown(options.DefaultProvider))
        {
            errors.Add($"{nameof(CanaryEngineOptions.DefaultProvider)}: \"{options.DefaultProvider}\" is not a known provider (known: {string.Join(", ", TrafficProviders.All)})");
        }

        if (string.IsNullOrWhiteSpace(options.BuiltinMetricsProvider))
        {
            errors.Add($"{nameof(CanaryEngineOptions.BuiltinMetricsProvider)}: is required");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
