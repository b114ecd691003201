using Canary.Kubernetes.Controller;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.DependencyInjection;

/// <summary>Validates <see cref="CanaryControllerOptions"/> when the host starts.</summary>
internal sealed class CanaryControllerOptionsValidator : IValidateOptions<CanaryControllerOptions>
{
    public ValidateOptionsResult Validate(string? name, CanaryControllerOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
    }
}
