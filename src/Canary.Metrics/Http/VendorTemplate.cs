using Canary.Analysis;
using Canary.Metrics.Templates;
using Canary.Model;

namespace Canary.Metrics.Http;

/// <summary>
/// What the vendor providers share about a check's <c>MetricTemplate</c>: that there is one of their type, its rendered
/// query, its address and the secret its <c>provider.secretRef</c> names. Every problem is a
/// <see cref="MetricTemplateException"/> that names the template and never a credential.
/// </summary>
internal static class VendorTemplate
{
    /// <summary>Describes a template for messages.</summary>
    /// <param name="template">The template.</param>
    /// <returns>For example <c>MetricTemplate "error-rate"</c>.</returns>
    public static string Source(MetricTemplate template) => $"MetricTemplate \"{template.Name}\"";

    /// <summary>Finds the check's template and checks that it is of the provider's type.</summary>
    /// <param name="query">The check.</param>
    /// <param name="providerType">The provider's type, for example <c>datadog</c>.</param>
    /// <param name="vendor">The vendor's name for messages, for example <c>Datadog</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="MetricTemplateException">The check has no template, or one of another type.</exception>
    public static MetricTemplate Require(MetricQuery query, string providerType, string vendor)
    {
        if (query.Template is not { } template)
        {
            if (query.Metric.TemplateRef is { } reference)
            {
                throw new MetricTemplateException(
                    $"metric check \"{query.Metric.Name}\" references MetricTemplate \"{reference.Name}\", but the template was not resolved.",
                    $"MetricTemplate \"{reference.Name}\"",
                    null);
            }

            throw new MetricTemplateException(
                $"metric check \"{query.Metric.Name}\" has no MetricTemplate; the {vendor} provider only runs \"{providerType}\" templates " +
                "(the builtin metrics are measured by the Prometheus provider).",
                $"metric check \"{query.Metric.Name}\"",
                null);
        }

        if (!string.Equals(template.Provider.Type, providerType, StringComparison.OrdinalIgnoreCase))
        {
            throw new MetricTemplateException(
                $"{Source(template)} has provider type \"{template.Provider.Type}\"; the {vendor} provider only runs \"{providerType}\" templates.",
                Source(template),
                null);
        }

        return template;
    }

    /// <summary>Renders the template's query for the check's canary.</summary>
    /// <param name="query">The check.</param>
    /// <param name="template">Its template.</param>
    /// <returns>The query, on one line.</returns>
    /// <exception cref="MetricTemplateException">The query is malformed, or a value is missing or unsafe.</exception>
    public static string Render(MetricQuery query, MetricTemplate template) =>
        PromQlTemplate.Parse(template.Query, Source(template)).Render(MetricTemplateContext.FromQuery(query));

    /// <summary>Checks a template's <c>provider.address</c>.</summary>
    /// <param name="template">The template.</param>
    /// <returns>The address, or <see langword="null"/> when the template sets none.</returns>
    /// <exception cref="MetricTemplateException">The address is not an absolute http or https URL, or carries credentials, a query or a fragment.</exception>
    public static Uri? Address(MetricTemplate template)
    {
        if (template.Provider.Address is not { } address)
        {
            return null;
        }

        var source = Source(template);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new MetricTemplateException($"{source} has a provider.address that is not an absolute http or https URL.", source, null);
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            throw new MetricTemplateException(
                $"{source} has a provider.address that carries credentials (user:password@host); they would be exposed in messages and are refused: use provider.secretRef.",
                source,
                null);
        }

        if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            throw new MetricTemplateException($"{source} has a provider.address with a query string or fragment; give the server's URL only.", source, null);
        }

        return address;
    }

    /// <summary>Reads the secret that the template's <c>provider.secretRef</c> names, from the template's namespace.</summary>
    /// <param name="resolver">The host's secret resolver, or <see langword="null"/> when it registered none.</param>
    /// <param name="template">The template.</param>
    /// <param name="cancellationToken">A token that cancels the look-up.</param>
    /// <returns>The secret, or <see langword="null"/> when the template names none.</returns>
    /// <exception cref="MetricTemplateException">The template names a secret that cannot be read.</exception>
    public static async ValueTask<IReadOnlyDictionary<string, string>?> ReadSecretAsync(
        IMetricSecretResolver? resolver,
        MetricTemplate template,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(template.Provider.SecretRef))
        {
            return null;
        }

        var name = template.Provider.SecretRef;
        var source = Source(template);
        if (resolver is null)
        {
            throw new MetricTemplateException(
                $"{source} sets provider.secretRef \"{name}\", but no IMetricSecretResolver is registered to read it: " +
                "register one (for example with services.AddCanaryMetricSecrets), or configure the credentials in the provider's options.",
                source,
                null);
        }

        return await resolver.GetSecretAsync(template.Namespace, name, cancellationToken)
            ?? throw new MetricTemplateException(
                $"{source} sets provider.secretRef \"{name}\", but there is no secret \"{name}\" in namespace \"{template.Namespace}\".",
                source,
                null);
    }

    /// <summary>Reads one key of a template's secret, trimmed of the line break that secrets made from files often end with.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="key">The key, for example <c>datadog_api_key</c>.</param>
    /// <param name="template">The template, for messages.</param>
    /// <param name="required">Whether a missing key is an error.</param>
    /// <returns>The value, or <see langword="null"/> when an optional key is missing or empty.</returns>
    /// <exception cref="MetricTemplateException">A required key is missing or empty, or a value holds whitespace or control characters.</exception>
    public static string? Key(IReadOnlyDictionary<string, string> secret, string key, MetricTemplate template, bool required = true)
    {
        var source = Source(template);
        var value = secret.GetValueOrDefault(key)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return required
                ? throw new MetricTemplateException(
                    $"{source}: the secret \"{template.Provider.SecretRef}\" has no key \"{key}\", or it is empty.",
                    source,
                    null)
                : null;
        }

        // Credentials travel in headers, where whitespace and control characters are not allowed.
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new MetricTemplateException(
                $"{source}: the key \"{key}\" of secret \"{template.Provider.SecretRef}\" contains whitespace or control characters.",
                source,
                null);
        }

        return value;
    }

    /// <summary>Adds the template's <c>provider.headers</c> to a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="template">The template, or <see langword="null"/>.</param>
    /// <exception cref="MetricTemplateException">A header cannot be sent.</exception>
    public static void AddHeaders(HttpRequestMessage request, MetricTemplate? template)
    {
        if (template is null)
        {
            return;
        }

        foreach (var (name, value) in template.Provider.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) || value.Any(char.IsControl))
            {
                throw new MetricTemplateException(
                    $"{Source(template)} has a provider header \"{name}\" that cannot be sent as an HTTP request header.",
                    Source(template),
                    null);
            }
        }
    }

    /// <summary>Tells whether two addresses name the same server: scheme, host and port.</summary>
    /// <param name="left">One address.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> if they do.</returns>
    public static bool SameServer(Uri left, Uri right) =>
        Uri.Compare(left, right, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>Writes an address for messages: scheme, server and path.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The text.</returns>
    public static string Display(Uri address) =>
        address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped).TrimEnd('/');

    /// <summary>Makes an address a base that relative paths extend instead of replacing its last segment.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The address, ending with a slash.</returns>
    public static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new Uri(address.GetLeftPart(UriPartial.Path) + "/");
}
