using Canary.Metrics.Http;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Graphite;

/// <summary>Checks <see cref="GraphiteOptions"/> when the host starts, naming each bad field and never echoing the password.</summary>
internal sealed class GraphiteOptionsValidator : IValidateOptions<GraphiteOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GraphiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Problems(GraphiteOptions options)
    {
        foreach (var problem in OptionChecks.Address("GraphiteOptions.Address", options.Address, "http://graphite.monitoring", required: true))
        {
            yield return problem;
        }

        if (OptionChecks.Timeout("GraphiteOptions.QueryTimeout", options.QueryTimeout) is { } timeout)
        {
            yield return timeout;
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            yield return "GraphiteOptions.Password is set but Username is not: basic authentication needs both.";
        }

        if (options.Username is { } user && !IsUsername(user))
        {
            yield return "GraphiteOptions.Username must not contain ':' or control characters (basic authentication cannot carry them).";
        }

        if (options.Password is { } password && password.Any(char.IsControl))
        {
            yield return "GraphiteOptions.Password must not contain control characters.";
        }
    }

    /// <summary>Tells whether a text can be a basic-authentication user name.</summary>
    /// <param name="username">The text.</param>
    /// <returns><see langword="true"/> if it has no <c>:</c> and no control character.</returns>
    public static bool IsUsername(string username) => !username.Contains(':', StringComparison.Ordinal) && !username.Any(char.IsControl);
}
