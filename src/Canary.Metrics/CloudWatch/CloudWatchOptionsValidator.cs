using System.Text.RegularExpressions;
using Canary.Metrics.Http;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.CloudWatch;

/// <summary>Checks <see cref="CloudWatchOptions"/> when the host starts, naming each bad field and never echoing a credential.</summary>
internal sealed partial class CloudWatchOptionsValidator : IValidateOptions<CloudWatchOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CloudWatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Problems(CloudWatchOptions options)
    {
        if (options.Region is { } region && !IsRegion(region))
        {
            yield return "CloudWatchOptions.Region must be an AWS region such as us-east-1 or eu-west-1.";
        }

        foreach (var problem in OptionChecks.Address("CloudWatchOptions.Address", options.Address, "https://monitoring.us-east-1.amazonaws.com", required: false))
        {
            yield return problem;
        }

        if (OptionChecks.Timeout("CloudWatchOptions.QueryTimeout", options.QueryTimeout) is { } timeout)
        {
            yield return timeout;
        }

        var hasKeyId = !string.IsNullOrEmpty(options.AccessKeyId);
        var hasSecret = !string.IsNullOrEmpty(options.SecretAccessKey);
        if (hasKeyId && !hasSecret)
        {
            yield return "CloudWatchOptions.AccessKeyId is set but SecretAccessKey is not: signing needs both.";
        }

        if (hasSecret && !hasKeyId)
        {
            yield return "CloudWatchOptions.SecretAccessKey is set but AccessKeyId is not: signing needs both.";
        }

        if (!string.IsNullOrEmpty(options.SessionToken) && !(hasKeyId && hasSecret))
        {
            yield return "CloudWatchOptions.SessionToken is set but AccessKeyId and SecretAccessKey are not: a session token belongs to temporary keys.";
        }

        foreach (var problem in new[]
        {
            OptionChecks.Credential("CloudWatchOptions.AccessKeyId", options.AccessKeyId),
            OptionChecks.Credential("CloudWatchOptions.SecretAccessKey", options.SecretAccessKey),
            OptionChecks.Credential("CloudWatchOptions.SessionToken", options.SessionToken),
        })
        {
            if (problem is not null)
            {
                yield return problem;
            }
        }
    }

    /// <summary>Tells whether a text is an AWS region name.</summary>
    /// <param name="region">The text.</param>
    /// <returns><see langword="true"/> if it looks like <c>us-east-1</c> or <c>us-gov-west-1</c>.</returns>
    public static bool IsRegion(string region) => RegionPattern().IsMatch(region);

    [GeneratedRegex("^[a-z]{2,}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
