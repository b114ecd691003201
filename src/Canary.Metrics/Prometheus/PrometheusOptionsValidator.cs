using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Prometheus;

/// <summary>Checks <see cref="PrometheusOptions"/> when the host starts, naming each bad field and never echoing a secret.</summary>
internal sealed class PrometheusOptionsValidator : IValidateOptions<PrometheusOptions>
{
    private static readonly TimeSpan MaxQueryTimeout = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Problems(PrometheusOptions options)
    {
        foreach (var problem in AddressProblems(options.Address))
        {
            yield return problem;
        }

        if (options.QueryTimeout < TimeSpan.FromMilliseconds(1) || options.QueryTimeout > MaxQueryTimeout)
        {
            yield return $"PrometheusOptions.QueryTimeout must be greater than zero and at most {MaxQueryTimeout:c}, not {options.QueryTimeout:c}.";
        }

        var hasToken = !string.IsNullOrEmpty(options.BearerToken);
        var hasBasic = !string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password);
        if (hasToken && hasBasic)
        {
            yield return "PrometheusOptions: set either BearerToken or Username and Password, not both.";
        }

        if (hasToken && options.BearerToken!.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return "PrometheusOptions.BearerToken must not contain whitespace, line breaks or control characters.";
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            yield return "PrometheusOptions.Password is set but Username is not: basic authentication needs both.";
        }

        if (options.Username is { } user && (user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl)))
        {
            yield return "PrometheusOptions.Username must not contain ':' or control characters (basic authentication cannot carry them).";
        }

        if (options.Password is { } password && password.Any(char.IsControl))
        {
            yield return "PrometheusOptions.Password must not contain control characters.";
        }

        foreach (var problem in TlsProblems(options))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> AddressProblems(Uri? address)
    {
        if (address is null)
        {
            yield return "PrometheusOptions.Address is required: the Prometheus server's URL, for example http://prometheus.monitoring:9090.";
            yield break;
        }

        if (!address.IsAbsoluteUri)
        {
            yield return "PrometheusOptions.Address must be an absolute URL with http or https, for example http://prometheus.monitoring:9090.";
            yield break;
        }

        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"PrometheusOptions.Address must use http or https, not {address.Scheme}.";
        }

        // The address is echoed in messages; credentials in it would leak there and belong in Username/Password.
        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            yield return "PrometheusOptions.Address must not carry credentials (user:password@host): set Username and Password, or BearerToken.";
        }

        if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            yield return "PrometheusOptions.Address must not have a query string or fragment.";
        }
    }

    private static IEnumerable<string> TlsProblems(PrometheusOptions options)
    {
        var hasFile = !string.IsNullOrWhiteSpace(options.CaFile);
        var hasPem = !string.IsNullOrWhiteSpace(options.CaPem);
        if (hasFile && hasPem)
        {
            yield return "PrometheusOptions: set either CaFile or CaPem, not both.";
            yield break;
        }

        if ((hasFile || hasPem) && options.InsecureSkipVerify)
        {
            yield return "PrometheusOptions.InsecureSkipVerify turns off the certificate checks that CaFile or CaPem configure: set one or the other.";
        }

        if (hasFile && !File.Exists(options.CaFile))
        {
            yield return $"PrometheusOptions.CaFile \"{options.CaFile}\" does not exist.";
            yield break;
        }

        if (hasFile || hasPem)
        {
            string? problem = null;
            try
            {
                var authorities = PrometheusHttpHandlerFactory.LoadCertificateAuthorities(options);
                var count = authorities?.Count ?? 0;
                foreach (var authority in authorities ?? [])
                {
                    authority.Dispose();
                }

                if (count == 0)
                {
                    problem = hasFile
                        ? $"PrometheusOptions.CaFile \"{options.CaFile}\" holds no PEM certificate."
                        : "PrometheusOptions.CaPem holds no PEM certificate.";
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                problem = hasFile
                    ? $"PrometheusOptions.CaFile \"{options.CaFile}\" could not be read as PEM certificates: {ex.Message}"
                    : $"PrometheusOptions.CaPem could not be read as PEM certificates: {ex.Message}";
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }
    }
}
