using Microsoft.Extensions.Options;

namespace Canary.Gates;

/// <summary>Validates <see cref="CommandTestRunnerOptions"/> when the host starts, with every error at once.</summary>
internal sealed class CommandTestRunnerOptionsValidator : IValidateOptions<CommandTestRunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, CommandTestRunnerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Shell))
        {
            errors.Add($"{nameof(options.Shell)}: is required");
        }

        if (string.IsNullOrWhiteSpace(options.Bash))
        {
            errors.Add($"{nameof(options.Bash)}: is required");
        }

        if (options.OutputTailLines is < 0 or > 1000)
        {
            errors.Add($"{nameof(options.OutputTailLines)}: must be between 0 and 1000");
        }

        if (options.MaxLineLength < 1)
        {
            errors.Add($"{nameof(options.MaxLineLength)}: must be at least 1");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
