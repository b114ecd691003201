using Microsoft.Extensions.Options;

namespace Canary.Metrics.Http;

/// <summary>The checks that every vendor's options share; each message names the field.</summary>
internal static class OptionChecks
{
    /// <summary>The longest query timeout the options accept.</summary>
    public static readonly TimeSpan MaxQueryTimeout = TimeSpan.FromHours(1);

    /// <summary>Checks a server address.</summary>
    /// <param name="field">The field, for example <c>DatadogOptions.Address</c>.</param>
    /// <param name="address">The address, or <see langword="null"/>.</param>
    /// <param name="example">An example address for messages.</param>
    /// <param name="required">Whether the address is required.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Address(string field, Uri? address, string example, bool required)
    {
        if (address is null)
        {
            if (required)
            {
                yield return $"{field} is required: the server's URL, for example {example}.";
            }

            yield break;
        }

        if (!address.IsAbsoluteUri)
        {
            yield return $"{field} must be an absolute URL with http or https, for example {example}.";
            yield break;
        }

        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{field} must use http or https, not {address.Scheme}.";
        }

        // The address is echoed in messages; credentials in it would leak there.
        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            yield return $"{field} must not carry credentials (user:password@host): set them in the options' credential fields.";
        }

        if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            yield return $"{field} must not have a query string or fragment.";
        }
    }

    /// <summary>Checks a query timeout.</summary>
    /// <param name="field">The field, for example <c>DatadogOptions.QueryTimeout</c>.</param>
    /// <param name="timeout">The timeout.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Timeout(string field, TimeSpan timeout) =>
        timeout < TimeSpan.FromMilliseconds(1) || timeout > MaxQueryTimeout
            ? $"{field} must be greater than zero and at most {MaxQueryTimeout:c}, not {timeout:c}."
            : null;

    /// <summary>Checks a credential that travels in a header; the message never holds the value.</summary>
    /// <param name="field">The field, for example <c>DatadogOptions.ApiKey</c>.</param>
    /// <param name="value">The credential, or <see langword="null"/>.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Credential(string field, string? value) =>
        value is not null && value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? $"{field} must not contain whitespace, line breaks or control characters."
            : null;

    /// <summary>Throws when a provider is built by hand with options that the host would have refused at start.</summary>
    /// <typeparam name="TOptions">The options' type.</typeparam>
    /// <param name="options">The options.</param>
    /// <param name="problems">The options' validator: one message per problem.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public static void ThrowIfInvalid<TOptions>(TOptions options, Func<TOptions, IEnumerable<string>> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        var found = problems(options).ToList();
        if (found.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), found);
        }
    }
}
