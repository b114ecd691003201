using Microsoft.Extensions.Options;

namespace Canary.Gates;

/// <summary>Validates <see cref="HttpWebhookClientOptions"/> when the host starts, with every error at once.</summary>
internal sealed class HttpWebhookClientOptionsValidator : IValidateOptions<HttpWebhookClientOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpWebhookClientOptions options)
    {
        var errors = new List<string>();
        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{nameof(options.RetryBaseDelay)}: must not be negative");
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"{nameof(options.RetryMaxDelay)}: must not be less than {nameof(options.RetryBaseDelay)}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
