using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
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

    // An analysis query answers one number; a far larger body is a query that matched far too much.
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly Func<bool, HttpClient> _client;
    private readonly PrometheusOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string[] _secrets;
    private readonly string _timeoutText;

    /// <summary>Initializes a new instance of the <see cref="PrometheusMetricProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client; its handler's TLS settings apply to every query, including templates that set <c>insecureSkipVerify</c>.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusMetricProvider(HttpClient httpClient, PrometheusOptions options, ILogger<PrometheusMetricProvider>? logger = null, TimeProvider? timeProvider = null)
        : this(Fixed(httpClient), options, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusMetricProvider"/> class with the clients of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="HttpClientName"/> and <see cref="InsecureHttpClientName"/> clients.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusMetricProvider(IHttpClientFactory httpClientFactory, IOptions<PrometheusOptions> options, ILogger<PrometheusMetricProvider> logger, TimeProvider? timeProvider = null)
        : this(FromFactory(httpClientFactory), (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, timeProvider)
    {
    }

    private PrometheusMetricProvider(Func<bool, HttpClient> client, PrometheusOptions options, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = PrometheusOptionsValidator.Problems(options).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PrometheusOptions), problems);
        }

        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _secrets = new[] { options.BearerToken, options.Password, BasicCredentials(options) }
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .ToArray();
        _timeoutText = DurationFormat.Format(options.QueryTimeout);
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
        return EvaluateAsync(promQl, ConfiguredServer(), cancellationToken);
    }

    private async Task<MetricResult> EvaluateAsync(string promQl, Server server, CancellationToken cancellationToken)
    {
        PrometheusLog.Querying(_logger, server.Display, promQl);
        using var timeout = new CancellationTokenSource(_options.QueryTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = BuildRequest(promQl, server);
            using var response = await _client(server.Insecure).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadBodyAsync(response, promQl, server, linked.Token);
            foreach (var warning in PrometheusResponse.Warnings(body))
            {
                PrometheusLog.Warning(_logger, server.Display, promQl, Redact(warning));
            }

            var result = PrometheusResponse.Read(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, promQl, server.Display, Redact);
            if (result.Value is { } value)
            {
                PrometheusLog.Answered(_logger, server.Display, value, promQl);
            }
            else
            {
                PrometheusLog.NoData(_logger, server.Display, result.Detail);
            }

            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Either our timeout or the HttpClient's own Timeout fired: both mean the server was too slow.
            throw Logged(new PrometheusQueryException(
                $"Prometheus at {server.Display} did not answer within {_timeoutText} (PrometheusOptions.QueryTimeout). Query: {promQl}")
            {
                Query = promQl,
            });
        }
        catch (HttpRequestException ex)
        {
            throw Logged(new PrometheusQueryException($"Could not reach Prometheus at {server.Display}: {Redact(ex.Message)} Query: {promQl}", ex)
            {
                Query = promQl,
                StatusCode = ex.StatusCode,
            });
        }
        catch (PrometheusQueryException ex)
        {
            throw Logged(ex);
        }
    }

    private HttpRequestMessage BuildRequest(string promQl, Server server)
    {
        var endpoint = new Uri(server.Address, "api/v1/query");
        HttpRequestMessage request;
        if (_options.UsePost)
        {
            request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new FormUrlEncodedContent([new("query", promQl), new("timeout", _timeoutText)]),
            };
        }
        else
        {
            var url = $"{endpoint.AbsoluteUri}?query={Uri.EscapeDataString(promQl)}&timeout={Uri.EscapeDataString(_timeoutText)}";
            request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in server.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Dispose();
                throw new MetricTemplateException(
                    $"{server.Template} has a provider header \"{name}\" that cannot be sent as an HTTP request header.",
                    server.Template,
                    null);
            }
        }

        if (server.SendCredentials && !request.Headers.Contains("Authorization"))
        {
            if (!string.IsNullOrEmpty(_options.BearerToken))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BearerToken);
            }
            else if (BasicCredentials(_options) is { } basic)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            }
        }

        return request;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, string promQl, Server server, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw TooLarge(promQl, server, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await stream.ReadAsync(buffer.GetMemory(16384), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxResponseBytes)
            {
                throw TooLarge(promQl, server, response.StatusCode);
            }
        }
    }

    private static PrometheusQueryException TooLarge(string promQl, Server server, HttpStatusCode status) =>
        new($"Prometheus at {server.Display} answered more than {MaxResponseBytes / (1024 * 1024)} MiB; an analysis query must return one value. Query: {promQl}")
        {
            Query = promQl,
            StatusCode = status,
        };

    private Server ServerFor(MetricQuery query)
    {
        if (query.Template is not { } template)
        {
            return ConfiguredServer();
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

        var configured = _options.Address!;
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
                $"{source} sets provider.secretRef \"{provider.SecretRef}\" for {Display(address)}, but this host only holds the credentials of {Display(configured)}; " +
                "configure that server with AddCanaryPrometheus, or drop the template's address.",
                source,
                null);
        }

        return new Server(WithTrailingSlash(address), Display(address), sameServer, _options.InsecureSkipVerify || provider.InsecureSkipVerify, provider.Headers, source);
    }

    private Server ConfiguredServer() =>
        new(WithTrailingSlash(_options.Address!), Display(_options.Address!), true, _options.InsecureSkipVerify, new Dictionary<string, string>(), "PrometheusOptions");

    private string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        return text;
    }

    private PrometheusQueryException Logged(PrometheusQueryException exception)
    {
        PrometheusLog.Failed(_logger, exception.Message);
        return exception;
    }

    private static string? BasicCredentials(PrometheusOptions options) => string.IsNullOrEmpty(options.Username)
        ? null
        : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));

    private static string Display(Uri address) => address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped).TrimEnd('/');

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new Uri(address.GetLeftPart(UriPartial.Path) + "/");

    private static Func<bool, HttpClient> Fixed(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return _ => httpClient;
    }

    private static Func<bool, HttpClient> FromFactory(IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return insecure => httpClientFactory.CreateClient(insecure ? InsecureHttpClientName : HttpClientName);
    }

    private sealed record Server(Uri Address, string Display, bool SendCredentials, bool Insecure, IReadOnlyDictionary<string, string> Headers, string Template);
}
