using Microsoft.Extensions.Options;

namespace Canary.Notifications;

/// <summary>Validates <see cref="AlertNotifierOptions"/> when the host starts.</summary>
internal sealed class AlertNotifierOptionsValidator : IValidateOptions<AlertNotifierOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertNotifierOptions options) =>
        options.Timeout > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{nameof(options.Timeout)}: must be positive");
}
