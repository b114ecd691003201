using System.Net.Http.Headers;
using System.Text.Json;
using Canary.Analysis;
using Canary.Metrics.CloudWatch.Credentials;
using Canary.Metrics.Http;
using Canary.Metrics.Templates;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.CloudWatch;

/// <summary>
/// Measures metric checks whose <c>MetricTemplate</c> has provider type <c>cloudwatch</c>, with CloudWatch's
/// <c>GetMetricData</c> over the JSON protocol (<c>POST /</c> to <c>https://monitoring.{region}.amazonaws.com</c>,
/// <c>X-Amz-Target: GraniteServiceVersion20100801.GetMetricData</c>), signed with AWS Signature Version 4.
/// </summary>
/// <remarks>
/// The template's query is the JSON array of <c>MetricDataQuery</c> objects, as Flagger's cloudwatch templates hold.
/// As Flagger, the window reaches back ten intervals, since CloudWatch publishes data points late, and the value is
/// the first (newest) value of the first result. No results, or a first result without values, is no data. An AWS
/// error, an HTTP error or a timeout throws <see cref="CloudWatchQueryException"/>. The credentials come from the
/// template's <c>provider.secretRef</c> (<c>aws_access_key_id</c>, <c>aws_secret_access_key</c> and optionally
/// <c>aws_session_token</c>), or else from <see cref="CloudWatchOptions"/>, or else, with
/// <see cref="CloudWatchOptions.UseAmbientCredentials"/>, from where the AWS SDKs find them (environment, shared
/// credentials file, web identity, container agent, instance metadata); the last two sign only for the configured
/// endpoint. The region comes from the template's <c>provider.region</c>, or else from the options.
/// </remarks>
public sealed class CloudWatchMetricProvider : IMetricProvider
{
    /// <summary>The provider type this provider serves: <c>cloudwatch</c>.</summary>
    public const string ProviderType = "cloudwatch";

    /// <summary>The name of the <see cref="HttpClient"/> that <see cref="IHttpClientFactory"/> gives this provider.</summary>
    public const string HttpClientName = "Canary.CloudWatch";

    /// <summary>The secret key of the access key id (Canary's choice; Flagger reads AWS credentials from its environment).</summary>
    public const string AccessKeyIdSecretKey = "aws_access_key_id";

    /// <summary>The secret key of the secret access key.</summary>
    public const string SecretAccessKeySecretKey = "aws_secret_access_key";

    /// <summary>The secret key of the session token of temporary credentials, which may be absent.</summary>
    public const string SessionTokenSecretKey = "aws_session_token";

    /// <summary>The <c>X-Amz-Target</c> of <c>GetMetricData</c> in the JSON protocol.</summary>
    public const string Target = "GraniteServiceVersion20100801.GetMetricData";

    /// <summary>How many intervals back the window reaches, as Flagger's.</summary>
    public const int WindowIntervals = 10;

    private const string Vendor = "CloudWatch";
    private const string Service = "monitoring";

    private readonly VendorHttpClients _clients;
    private readonly CloudWatchOptions _options;
    private readonly IMetricSecretResolver? _secrets;
    private readonly TimeProvider _timeProvider;
    private readonly MetricHttpQuery _http;
    private readonly SecretRedactor _redactor;
    private readonly AwsCredentials? _credentials;
    private readonly AwsCredentialChain? _ambient;

    /// <summary>Initializes a new instance of the <see cref="CloudWatchMetricProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="options">The options.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the window, the signature and the timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public CloudWatchMetricProvider(
        HttpClient httpClient,
        CloudWatchOptions options,
        IMetricSecretResolver? secrets = null,
        ILogger<CloudWatchMetricProvider>? logger = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.Fixed(httpClient), options, secrets, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CloudWatchMetricProvider"/> class with the client of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="HttpClientName"/> client.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="timeProvider">The clock of the window, the signature and the timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public CloudWatchMetricProvider(
        IHttpClientFactory httpClientFactory,
        IOptions<CloudWatchOptions> options,
        ILogger<CloudWatchMetricProvider> logger,
        IMetricSecretResolver? secrets = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.FromFactory(httpClientFactory, HttpClientName), (options ?? throw new ArgumentNullException(nameof(options))).Value, secrets, logger, timeProvider)
    {
    }

    private CloudWatchMetricProvider(VendorHttpClients clients, CloudWatchOptions options, IMetricSecretResolver? secrets, ILogger? logger, TimeProvider? timeProvider)
        : this(clients, options, secrets, logger, timeProvider, AwsEnvironment.Process)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CloudWatchMetricProvider"/> class that reads ambient credentials from <paramref name="environment"/>.</summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="options">The options.</param>
    /// <param name="environment">The variables and files the ambient credential sources read.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system's.</param>
    internal CloudWatchMetricProvider(HttpClient httpClient, CloudWatchOptions options, AwsEnvironment environment, TimeProvider? timeProvider = null)
        : this(VendorHttpClients.Fixed(httpClient), options, null, null, timeProvider, environment)
    {
    }

    private CloudWatchMetricProvider(
        VendorHttpClients clients,
        CloudWatchOptions options,
        IMetricSecretResolver? secrets,
        ILogger? logger,
        TimeProvider? timeProvider,
        AwsEnvironment environment)
    {
        OptionChecks.ThrowIfInvalid(options, CloudWatchOptionsValidator.Problems);
        _clients = clients;
        _options = options;
        _secrets = secrets;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _http = new MetricHttpQuery(
            Vendor,
            "CloudWatchOptions.QueryTimeout",
            options.QueryTimeout,
            logger ?? NullLogger.Instance,
            _timeProvider,
            static f => new CloudWatchQueryException(f.Message, f.InnerException) { Query = f.Query, StatusCode = f.StatusCode, ErrorType = f.ErrorType });
        _credentials = string.IsNullOrEmpty(options.AccessKeyId)
            ? null
            : new AwsCredentials(options.AccessKeyId, options.SecretAccessKey!, string.IsNullOrEmpty(options.SessionToken) ? null : options.SessionToken);
        _ambient = _credentials is null && options.UseAmbientCredentials ? new AwsCredentialChain(environment, _timeProvider) : null;
        _redactor = new SecretRedactor([options.AccessKeyId, options.SecretAccessKey, options.SessionToken]);
    }

    /// <inheritdoc />
    public string Name => ProviderType;

    /// <inheritdoc />
    /// <exception cref="MetricTemplateException">The check has no <c>cloudwatch</c> template, its query is not a JSON array of <c>MetricDataQuery</c> objects, or its region or credentials cannot be found.</exception>
    /// <exception cref="CloudWatchQueryException">CloudWatch could not answer the query.</exception>
    public async ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Inside the async method, so that a bad template faults the returned task like any other failure.
        var template = VendorTemplate.Require(query, ProviderType, Vendor);
        var text = VendorTemplate.Render(query, template);
        var queries = CloudWatchQuery.Parse(text, VendorTemplate.Source(template));
        var endpoint = await EndpointForAsync(template, cancellationToken);
        return await EvaluateAsync(text, queries, query.Metric.EffectiveInterval, endpoint, template, cancellationToken);
    }

    /// <summary>Runs <c>GetMetricData</c> against the configured region and endpoint with the configured credentials, for example to check that they work.</summary>
    /// <param name="metricDataQueries">The JSON array of <c>MetricDataQuery</c> objects.</param>
    /// <param name="interval">The interval; the window reaches back <see cref="WindowIntervals"/> of them.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="InvalidOperationException">The options have no region, and there are no credentials.</exception>
    /// <exception cref="MetricTemplateException">The queries are not a JSON array of <c>MetricDataQuery</c> objects.</exception>
    /// <exception cref="CloudWatchQueryException">CloudWatch could not answer the query.</exception>
    public async Task<MetricResult> EvaluateAsync(string metricDataQueries, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricDataQueries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var region = _options.Region ?? throw new InvalidOperationException("CloudWatchOptions has no Region to query in.");
        var queries = CloudWatchQuery.Parse(metricDataQueries, "the metric data queries");
        var endpoint = await ConfiguredEndpointAsync(_options.Address ?? CloudWatchOptions.DefaultEndpoint(region), region, cancellationToken)
            ?? throw new InvalidOperationException($"CloudWatchOptions has no AccessKeyId and SecretAccessKey, and {AmbientPlaces()}.");
        return await EvaluateAsync(metricDataQueries, queries, interval, endpoint, null, cancellationToken);
    }

    private Task<MetricResult> EvaluateAsync(string text, JsonElement queries, TimeSpan interval, Endpoint endpoint, MetricTemplate? template, CancellationToken cancellationToken)
    {
        var display = VendorTemplate.Display(endpoint.Address);
        return _http.RunAsync(
            _clients.Get(),
            () => BuildRequest(queries, interval, endpoint, template),
            display,
            text,
            endpoint.Redactor,
            answer => CloudWatchResponse.Read(answer, text, display, endpoint.Redactor),
            cancellationToken);
    }

    private HttpRequestMessage BuildRequest(JsonElement queries, TimeSpan interval, Endpoint endpoint, MetricTemplate? template)
    {
        var now = _timeProvider.GetUtcNow();
        var window = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(interval.TotalSeconds)) * WindowIntervals);
        var body = CloudWatchQuery.Body(queries, now - window, now);
        var request = new HttpRequestMessage(HttpMethod.Post, VendorTemplate.WithTrailingSlash(endpoint.Address))
        {
            Content = new ByteArrayContent(body),
        };
        try
        {
            VendorTemplate.AddHeaders(request, template);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Remove("X-Amz-Target");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", Target);
            AwsSignatureV4.Sign(request, body, endpoint.Credentials, endpoint.Region, Service, now);
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private async ValueTask<Endpoint> EndpointForAsync(MetricTemplate template, CancellationToken cancellationToken)
    {
        var source = VendorTemplate.Source(template);
        var region = template.Provider.Region ?? _options.Region
            ?? throw new MetricTemplateException($"{source} has no provider.region, and CloudWatchOptions.Region is not set.", source, null);
        if (!CloudWatchOptionsValidator.IsRegion(region))
        {
            throw new MetricTemplateException($"{source} has a provider.region \"{region}\" that is not an AWS region such as us-east-1.", source, null);
        }

        var configured = _options.Address ?? CloudWatchOptions.DefaultEndpoint(region);
        var address = VendorTemplate.Address(template) ?? configured;
        if (await VendorTemplate.ReadSecretAsync(_secrets, template, cancellationToken) is { } secret)
        {
            var credentials = new AwsCredentials(
                VendorTemplate.Key(secret, AccessKeyIdSecretKey, template)!,
                VendorTemplate.Key(secret, SecretAccessKeySecretKey, template)!,
                VendorTemplate.Key(secret, SessionTokenSecretKey, template, required: false));
            var redactor = _redactor.With([credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken]);
            return new Endpoint(address, region, credentials, redactor);
        }

        // The configured credentials sign only for the configured endpoint: a template must not be able to send
        // signed requests elsewhere.
        if (!VendorTemplate.SameServer(address, configured))
        {
            throw new MetricTemplateException(
                $"{source} sends its queries to {VendorTemplate.Display(address)}, but the credentials of CloudWatchOptions only sign for " +
                $"{VendorTemplate.Display(configured)}: set provider.secretRef to a secret with {AccessKeyIdSecretKey} and {SecretAccessKeySecretKey}.",
                source,
                null);
        }

        return await ConfiguredEndpointAsync(address, region, cancellationToken)
            ?? throw new MetricTemplateException(
                $"{source} has no provider.secretRef, CloudWatchOptions has no AccessKeyId and SecretAccessKey, and {AmbientPlaces()}: set one of them.",
                source,
                null);
    }

    /// <summary>The endpoint signed with the options' keys, or else with ambient credentials; <see langword="null"/> when there are none.</summary>
    private async ValueTask<Endpoint?> ConfiguredEndpointAsync(Uri address, string region, CancellationToken cancellationToken)
    {
        if (_credentials is not null)
        {
            return new Endpoint(address, region, _credentials, _redactor);
        }

        if (_ambient is null || await _ambient.GetAsync(_clients.Get(), region, cancellationToken) is not { } ambient)
        {
            return null;
        }

        return new Endpoint(address, region, ambient, _redactor.With([ambient.AccessKeyId, ambient.SecretAccessKey, ambient.SessionToken]));
    }

    private string AmbientPlaces() => _ambient is null
        ? "CloudWatchOptions.UseAmbientCredentials is off"
        : $"no AWS credentials were found in {_ambient.Places}";

    private sealed record Endpoint(Uri Address, string Region, AwsCredentials Credentials, SecretRedactor Redactor)
    {
        // The generated ToString would print the credentials.
        public override string ToString() => VendorTemplate.Display(Address);
    }
}
