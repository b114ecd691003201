using System.Text.RegularExpressions;
using Canary.Metrics.Http;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Datadog;

/// <summary>Checks <see cref="DatadogOptions"/> when the host starts, naming each bad field and never echoing a key.</summary>
internal sealed partial class DatadogOptionsValidator : IValidateOptions<DatadogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DatadogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Problems(DatadogOptions options)
    {
        if (options.Address is not null && options.Site is not null)
        {
            yield return "DatadogOptions: set either Address or Site, not both.";
        }

        foreach (var problem in OptionChecks.Address("DatadogOptions.Address", options.Address, "https://api.datadoghq.com", required: false))
        {
            yield return problem;
        }

        if (options.Site is { } site && !SitePattern().IsMatch(site))
        {
            yield return "DatadogOptions.Site must be a Datadog site's domain, such as datadoghq.com, datadoghq.eu or us3.datadoghq.com, without a scheme or path.";
        }
        else if (options.Site is { } prefixed && (prefixed.StartsWith("app.", StringComparison.Ordinal) || prefixed.StartsWith("api.", StringComparison.Ordinal)))
        {
            yield return $"DatadogOptions.Site is the site's domain without \"app.\" or \"api.\", for example {prefixed[4..]}.";
        }

        if (OptionChecks.Timeout("DatadogOptions.QueryTimeout", options.QueryTimeout) is { } timeout)
        {
            yield return timeout;
        }

        var hasApiKey = !string.IsNullOrEmpty(options.ApiKey);
        var hasApplicationKey = !string.IsNullOrEmpty(options.ApplicationKey);
        if (hasApiKey && !hasApplicationKey)
        {
            yield return "DatadogOptions.ApiKey is set but ApplicationKey is not: Datadog's query API needs both.";
        }

        if (hasApplicationKey && !hasApiKey)
        {
            yield return "DatadogOptions.ApplicationKey is set but ApiKey is not: Datadog's query API needs both.";
        }

        foreach (var problem in new[]
        {
            OptionChecks.Credential("DatadogOptions.ApiKey", options.ApiKey),
            OptionChecks.Credential("DatadogOptions.ApplicationKey", options.ApplicationKey),
        })
        {
            if (problem is not null)
            {
                yield return problem;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$")]
    private static partial Regex SitePattern();
}
