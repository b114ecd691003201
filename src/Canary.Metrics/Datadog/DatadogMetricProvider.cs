using System.Globalization;
using System.Net.Http.Headers;
using Canary.Analysis;
using Canary.Metrics.Http;
using Canary.Metrics.Templates;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Datadog;

/// <summary>
/// Measures metric checks whose <c>MetricTemplate</c> has provider type <c>datadog</c>, with Datadog's timeseries
/// query API (<c>GET /api/v1/query</c>) over the check's interval, ending now.
/// </summary>
/// <remarks>
/// The value is the last point with a value of the one series the query returns. No series, several series or a
/// series without values is no data. A Datadog error, an HTTP error or a timeout throws
/// <see cref="DatadogQueryException"/>. The keys come from the template's <c>provider.secretRef</c>
/// (<c>datadog_api_key</c>, <c>datadog_application_key</c>), or else from <see cref="DatadogOptions"/>, which are sent
/// only to the configured address.
/// </remarks>
public sealed class DatadogMetricProvider : IMetricProvider
{
    /// <summary>The provider type this provider serves: <c>datadog</c>.</summary>
    public const string ProviderType = "datadog";

    /// <summary>The name of the <see cref="HttpClient"/> that <see cref="IHttpClientFactory"/> gives this provider.</summary>
    public const string HttpClientName = "Canary.Datadog";

    /// <summary>The secret key of the API key, as Flagger names it.</summary>
    public const string ApiKeySecretKey = "datadog_api_key";

    /// <summary>The secret key of the application key, as Flagger names it.</summary>
    public const string ApplicationKeySecretKey = "datadog_application_key";

    private const string Vendor = "Datadog";

    private readonly VendorHttpClients _clients;
    private readonly DatadogOptions _options;
    private readonly IMetricSecretResolver? _secrets;
    private readonly TimeProvider _timeProvider;
    private readonly MetricHttpQuery _http;
    private readonly SecretRedactor _redactor;
    private readonly Uri _address;

    /// <summary>Initializes a new instance of the <see cref="DatadogMetricProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="options">The options.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the query window and timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public DatadogMetricProvider(
        HttpClient httpClient,
        DatadogOptions options,
        IMetricSecretResolver? secrets = null,
        ILogger<DatadogMetricProvider>? logger = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.Fixed(httpClient), options, secrets, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatadogMetricProvider"/> class with the client of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="HttpClientName"/> client.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="timeProvider">The clock of the query window and timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public DatadogMetricProvider(
        IHttpClientFactory httpClientFactory,
        IOptions<DatadogOptions> options,
        ILogger<DatadogMetricProvider> logger,
        IMetricSecretResolver? secrets = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.FromFactory(httpClientFactory, HttpClientName), (options ?? throw new ArgumentNullException(nameof(options))).Value, secrets, logger, timeProvider)
    {
    }

    private DatadogMetricProvider(VendorHttpClients clients, DatadogOptions options, IMetricSecretResolver? secrets, ILogger? logger, TimeProvider? timeProvider)
    {
        OptionChecks.ThrowIfInvalid(options, DatadogOptionsValidator.Problems);
        _clients = clients;
        _options = options;
        _secrets = secrets;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _http = new MetricHttpQuery(
            Vendor,
            "DatadogOptions.QueryTimeout",
            options.QueryTimeout,
            logger ?? NullLogger.Instance,
            _timeProvider,
            static f => new DatadogQueryException(f.Message, f.InnerException) { Query = f.Query, StatusCode = f.StatusCode });
        _redactor = new SecretRedactor([options.ApiKey, options.ApplicationKey]);
        _address = options.EffectiveAddress();
    }

    /// <inheritdoc />
    public string Name => ProviderType;

    /// <inheritdoc />
    /// <exception cref="MetricTemplateException">The check has no <c>datadog</c> template, its query could not be rendered, or its credentials cannot be found.</exception>
    /// <exception cref="DatadogQueryException">Datadog could not answer with one series.</exception>
    public async ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Inside the async method, so that a bad template faults the returned task like any other failure.
        var template = VendorTemplate.Require(query, ProviderType, Vendor);
        var text = VendorTemplate.Render(query, template);
        var server = await ServerForAsync(template, cancellationToken);
        return await EvaluateAsync(text, query.Metric.EffectiveInterval, server, template, cancellationToken);
    }

    /// <summary>Runs a Datadog query against the configured address with the configured keys, for example to check that they work.</summary>
    /// <param name="query">The query, for example <c>sum:trace.http.request.hits{service:web}.as_count()</c>.</param>
    /// <param name="window">How far back from now the query looks.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="InvalidOperationException">The options have no keys.</exception>
    /// <exception cref="DatadogQueryException">Datadog could not answer with one series.</exception>
    public Task<MetricResult> EvaluateAsync(string query, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        if (string.IsNullOrEmpty(_options.ApiKey))
        {
            throw new InvalidOperationException("DatadogOptions has no ApiKey and ApplicationKey to query with.");
        }

        return EvaluateAsync(query, window, new Server(_address, _options.ApiKey, _options.ApplicationKey!, _redactor), null, cancellationToken);
    }

    private Task<MetricResult> EvaluateAsync(string query, TimeSpan window, Server server, MetricTemplate? template, CancellationToken cancellationToken)
    {
        var display = VendorTemplate.Display(server.Address);
        return _http.RunAsync(
            _clients.Get(),
            () => BuildRequest(query, window, server, template),
            display,
            query,
            server.Redactor,
            answer => DatadogResponse.Read(answer, query, display, server.Redactor),
            cancellationToken);
    }

    private HttpRequestMessage BuildRequest(string query, TimeSpan window, Server server, MetricTemplate? template)
    {
        var to = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var from = to - Math.Max(1, (long)Math.Ceiling(window.TotalSeconds));
        var endpoint = new Uri(VendorTemplate.WithTrailingSlash(server.Address), "api/v1/query");
        var url = string.Create(
            CultureInfo.InvariantCulture,
            $"{endpoint.AbsoluteUri}?from={from}&to={to}&query={Uri.EscapeDataString(query)}");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        try
        {
            VendorTemplate.AddHeaders(request, template);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            Set(request, "DD-API-KEY", server.ApiKey);
            Set(request, "DD-APPLICATION-KEY", server.ApplicationKey);
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private async ValueTask<Server> ServerForAsync(MetricTemplate template, CancellationToken cancellationToken)
    {
        var source = VendorTemplate.Source(template);
        var address = VendorTemplate.Address(template) ?? _address;
        if (await VendorTemplate.ReadSecretAsync(_secrets, template, cancellationToken) is { } secret)
        {
            var apiKey = VendorTemplate.Key(secret, ApiKeySecretKey, template)!;
            var applicationKey = VendorTemplate.Key(secret, ApplicationKeySecretKey, template)!;
            return new Server(address, apiKey, applicationKey, _redactor.With([apiKey, applicationKey]));
        }

        // The configured keys go only to the configured server: a template must not be able to send them elsewhere.
        if (!VendorTemplate.SameServer(address, _address))
        {
            throw new MetricTemplateException(
                $"{source} sends its queries to {VendorTemplate.Display(address)}, but the keys of DatadogOptions are only sent to " +
                $"{VendorTemplate.Display(_address)}: set provider.secretRef to a secret with {ApiKeySecretKey} and {ApplicationKeySecretKey}.",
                source,
                null);
        }

        if (string.IsNullOrEmpty(_options.ApiKey))
        {
            throw new MetricTemplateException(
                $"{source} has no provider.secretRef, and DatadogOptions has no ApiKey and ApplicationKey: set one or the other.",
                source,
                null);
        }

        return new Server(address, _options.ApiKey, _options.ApplicationKey!, _redactor);
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        // The keys win over a template header of the same name.
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    private sealed record Server(Uri Address, string ApiKey, string ApplicationKey, SecretRedactor Redactor)
    {
        // The generated ToString would print the keys.
        public override string ToString() => VendorTemplate.Display(Address);
    }
}
