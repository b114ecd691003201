using Canary.Metrics.Http;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.NewRelic;

/// <summary>Checks <see cref="NewRelicOptions"/> when the host starts, naming each bad field and never echoing the key.</summary>
internal sealed class NewRelicOptionsValidator : IValidateOptions<NewRelicOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NewRelicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Problems(NewRelicOptions options)
    {
        foreach (var problem in OptionChecks.Address("NewRelicOptions.Address", options.Address, NewRelicOptions.DefaultAddress.ToString(), required: true))
        {
            yield return problem;
        }

        if (OptionChecks.Timeout("NewRelicOptions.QueryTimeout", options.QueryTimeout) is { } timeout)
        {
            yield return timeout;
        }

        var hasAccount = !string.IsNullOrEmpty(options.AccountId);
        var hasKey = !string.IsNullOrEmpty(options.QueryKey);
        if (hasAccount && !IsAccountId(options.AccountId!))
        {
            yield return "NewRelicOptions.AccountId must be the account's number, digits only.";
        }

        if (hasAccount && !hasKey)
        {
            yield return "NewRelicOptions.AccountId is set but QueryKey is not: the Insights query API needs both.";
        }

        if (hasKey && !hasAccount)
        {
            yield return "NewRelicOptions.QueryKey is set but AccountId is not: the Insights query API needs both.";
        }

        if (OptionChecks.Credential("NewRelicOptions.QueryKey", options.QueryKey) is { } key)
        {
            yield return key;
        }
    }

    /// <summary>Tells whether a text is an account number.</summary>
    /// <param name="accountId">The text.</param>
    /// <returns><see langword="true"/> if it is 1 to 20 ASCII digits.</returns>
    public static bool IsAccountId(string accountId) => accountId.Length is > 0 and <= 20 && accountId.All(char.IsAsciiDigit);
}
