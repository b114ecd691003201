using Canary.Validation;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.DependencyInjection;

/// <summary>Validates <see cref="KubernetesOptions"/> when the host starts.</summary>
internal sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var errors = new List<string>();
        Add(errors, nameof(KubernetesOptions.Client), options.Client?.Validate());
        Add(errors, nameof(KubernetesOptions.Cache), options.Cache?.Validate());
        Add(errors, nameof(KubernetesOptions.Workloads), options.Workloads?.Validate());
        Add(errors, nameof(KubernetesOptions.LeaderElection), options.LeaderElection?.Validate());
        if (string.IsNullOrWhiteSpace(options.CanaryGroup) || options.CanaryGroup.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"{nameof(KubernetesOptions.CanaryGroup)}: must be an API group such as canary.dev");
        }

        if (string.IsNullOrWhiteSpace(options.CanaryVersion) || options.CanaryVersion.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"{nameof(KubernetesOptions.CanaryVersion)}: must be a version such as v1");
        }

        if (string.IsNullOrWhiteSpace(options.FieldManager) || options.FieldManager.Length > 128 || options.FieldManager.Any(char.IsControl))
        {
            errors.Add($"{nameof(KubernetesOptions.FieldManager)}: must be 1 to 128 printable characters");
        }

        if (options.SecretCacheDuration < TimeSpan.Zero)
        {
            errors.Add($"{nameof(KubernetesOptions.SecretCacheDuration)}: must not be negative");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Add(List<string> errors, string prefix, IReadOnlyList<ValidationError>? found)
    {
        if (found is null)
        {
            errors.Add($"{prefix}: is required");
            return;
        }

        errors.AddRange(found.Select(e => $"{prefix}.{e}"));
    }
}
