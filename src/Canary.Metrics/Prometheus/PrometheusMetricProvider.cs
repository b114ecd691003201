using Canary.Analysis;
using Canary.Metrics.Templates;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Prometheus;

/// <summary>
/// Measures metric checks with Prometheus' instant-query API (<c>/api/v1/query</c>): builtin metrics through the
/// queries of the canary's traffic provider, custom ones through their <c>MetricTemplate</c>.
/// </summary>
/// <remarks>
/// One sample or a scalar is the value. An empty vector, NaN or an infinity is no data, and so are several series:
/// Flagger silently keeps the last of them, which can be any series, so this provider refuses to guess. A matrix, a
/// string, a Prometheus error, an HTTP error or a timeout throws <see cref="PrometheusQueryException"/>.
/// A template's <c>provider.address</c> overrides <see cref="PrometheusOptions.Address"/>; the configured credentials
/// are sent only to the configured server's scheme, host and port.
/// </remarks>
public sealed class PrometheusMetricProvider : IMetricProvider
{
    /// <summary>The provider type this provider serves: <c>prometheus</c>.</summary>
    public const string ProviderType = "prometheus";

    /// <summary>The name of the <see cref="HttpClient"/> that <see cref="IHttpClientFactory"/> gives this provider.</summary>
    public const string HttpClientName = "Canary.Prometheus";

    /// <summary>The name of the <see cref="HttpClient"/> used for templates that set <c>insecureSkipVerify</c>.</summary>
    public const string InsecureHttpClientName = "Canary.Prometheus.InsecureSkipVerify";

    private readonly PrometheusClient _client;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="PrometheusMetricProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client; its handler's TLS settings apply to every query, including templates that set <c>insecureSkipVerify</c>.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusMetricProvider(HttpClient httpClient, PrometheusOptions options, ILogger<PrometheusMetricProvider>? logger = null, TimeProvider? timeProvider = null)
        : this(PrometheusClient.Fixed(httpClient), options, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusMetricProvider"/> class with the clients of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="HttpClientName"/> and <see cref="InsecureHttpClientName"/> clients.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusMetricProvider(IHttpClientFactory httpClientFactory, IOptions<PrometheusOptions> options, ILogger<PrometheusMetricProvider> logger, TimeProvider? timeProvider = null)
        : this(PrometheusClient.FromFactory(httpClientFactory), (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, timeProvider)
    {
    }

    private PrometheusMetricProvider(Func<bool, HttpClient> client, PrometheusOptions options, ILogger? logger, TimeProvider? timeProvider)
    {
        _logger = logger ?? NullLogger.Instance;
        _client = new PrometheusClient(client, options, _logger, timeProvider);
    }

    /// <inheritdoc />
    public string Name => ProviderType;

    /// <inheritdoc />
    /// <exception cref="MetricTemplateException">The query could not be rendered, or the template is not for Prometheus.</exception>
    /// <exception cref="PrometheusQueryException">Prometheus could not answer with one value.</exception>
    public async ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Inside the async method, so that a bad template faults the returned task like any other failure.
        var server = ServerFor(query);
        var promQl = MetricQueryRenderer.Render(query);
        return await EvaluateAsync(promQl, server, cancellationToken);
    }

    /// <summary>Runs a PromQL query against the configured server, for example <c>vector(1)</c> to check that it answers.</summary>
    /// <param name="promQl">The query.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="PrometheusQueryException">Prometheus could not answer with one value.</exception>
    public Task<MetricResult> EvaluateAsync(string promQl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promQl);
        return EvaluateAsync(promQl, _client.Configured, cancellationToken);
    }

    private Task<MetricResult> EvaluateAsync(string promQl, PrometheusServer server, CancellationToken cancellationToken) =>
        _client.QueryAsync(promQl, server, answer =>
        {
            var result = PrometheusResponse.Read(answer, _client.Redact);
            if (result.Value is { } value)
            {
                PrometheusLog.Answered(_logger, server.Display, value, promQl);
            }
            else
            {
                PrometheusLog.NoData(_logger, server.Display, result.Detail);
            }

            return result;
        }, cancellationToken);

    private PrometheusServer ServerFor(MetricQuery query)
    {
        if (query.Template is not { } template)
        {
            return _client.Configured;
        }

        var source = $"MetricTemplate \"{template.Name}\"";
        var provider = template.Provider;
        if (!string.Equals(provider.Type, ProviderType, StringComparison.OrdinalIgnoreCase))
        {
            throw new MetricTemplateException(
                $"{source} has provider type \"{provider.Type}\"; the Prometheus provider only runs \"{ProviderType}\" templates.",
                source,
                null);
        }

        var configured = _client.Options.Address!;
        var address = provider.Address ?? configured;
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new MetricTemplateException($"{source} has a provider.address that is not an absolute http or https URL.", source, null);
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            throw new MetricTemplateException(
                $"{source} has a provider.address that carries credentials (user:password@host); they would be exposed in messages and are refused.",
                source,
                null);
        }

        // Only the server the host was configured for gets its credentials: a template must not be able to send
        // them elsewhere.
        var sameServer = Uri.Compare(address, configured, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
        if (!sameServer && !string.IsNullOrEmpty(provider.SecretRef))
        {
            throw new MetricTemplateException(
                $"{source} sets provider.secretRef \"{provider.SecretRef}\" for {PrometheusClient.Display(address)}, but this host only holds the credentials of {PrometheusClient.Display(configured)}; " +
                "configure that server with AddCanaryPrometheus, or drop the template's address.",
                source,
                null);
        }

        return new PrometheusServer(
            PrometheusClient.WithTrailingSlash(address),
            PrometheusClient.Display(address),
            sameServer,
            _client.Options.InsecureSkipVerify || provider.InsecureSkipVerify,
            provider.Headers,
            source);
    }
}
