using System.Net.Http.Headers;
using System.Text;
using Canary.Analysis;
using Canary.Metrics.Http;
using Canary.Metrics.Templates;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Graphite;

/// <summary>
/// Measures metric checks whose <c>MetricTemplate</c> has provider type <c>graphite</c>, with Graphite's render API
/// (<c>GET /render?target=...&amp;from=-{interval}&amp;format=json</c>).
/// </summary>
/// <remarks>
/// The value is the last datapoint with a value of the one series the target returns. No series, several series or
/// a series of nulls is no data. An HTTP error or a timeout throws <see cref="GraphiteQueryException"/>. Basic
/// authentication comes from the template's <c>provider.secretRef</c> (<c>username</c>, <c>password</c>, as Flagger's),
/// or else from <see cref="GraphiteOptions"/>, which are sent only to the configured address.
/// </remarks>
public sealed class GraphiteMetricProvider : IMetricProvider
{
    /// <summary>The provider type this provider serves: <c>graphite</c>.</summary>
    public const string ProviderType = "graphite";

    /// <summary>The name of the <see cref="HttpClient"/> that <see cref="IHttpClientFactory"/> gives this provider.</summary>
    public const string HttpClientName = "Canary.Graphite";

    /// <summary>The name of the <see cref="HttpClient"/> used when the options or a template set <c>insecureSkipVerify</c>.</summary>
    public const string InsecureHttpClientName = "Canary.Graphite.InsecureSkipVerify";

    /// <summary>The secret key of the user name, as Flagger names it.</summary>
    public const string UsernameSecretKey = "username";

    /// <summary>The secret key of the password, as Flagger names it.</summary>
    public const string PasswordSecretKey = "password";

    private const string Vendor = "Graphite";

    private readonly VendorHttpClients _clients;
    private readonly GraphiteOptions _options;
    private readonly IMetricSecretResolver? _secrets;
    private readonly MetricHttpQuery _http;
    private readonly SecretRedactor _redactor;
    private readonly string? _basic;

    /// <summary>Initializes a new instance of the <see cref="GraphiteMetricProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client; its handler's TLS settings apply to every query, including templates that set <c>insecureSkipVerify</c>.</param>
    /// <param name="options">The options.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public GraphiteMetricProvider(
        HttpClient httpClient,
        GraphiteOptions options,
        IMetricSecretResolver? secrets = null,
        ILogger<GraphiteMetricProvider>? logger = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.Fixed(httpClient), options, secrets, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GraphiteMetricProvider"/> class with the clients of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="HttpClientName"/> and <see cref="InsecureHttpClientName"/> clients.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public GraphiteMetricProvider(
        IHttpClientFactory httpClientFactory,
        IOptions<GraphiteOptions> options,
        ILogger<GraphiteMetricProvider> logger,
        IMetricSecretResolver? secrets = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.FromFactory(httpClientFactory, HttpClientName, InsecureHttpClientName), (options ?? throw new ArgumentNullException(nameof(options))).Value, secrets, logger, timeProvider)
    {
    }

    private GraphiteMetricProvider(VendorHttpClients clients, GraphiteOptions options, IMetricSecretResolver? secrets, ILogger? logger, TimeProvider? timeProvider)
    {
        OptionChecks.ThrowIfInvalid(options, GraphiteOptionsValidator.Problems);
        _clients = clients;
        _options = options;
        _secrets = secrets;
        _http = new MetricHttpQuery(
            Vendor,
            "GraphiteOptions.QueryTimeout",
            options.QueryTimeout,
            logger ?? NullLogger.Instance,
            timeProvider ?? TimeProvider.System,
            static f => new GraphiteQueryException(f.Message, f.InnerException) { Query = f.Query, StatusCode = f.StatusCode });
        _basic = string.IsNullOrEmpty(options.Username) ? null : Basic(options.Username, options.Password ?? string.Empty);
        _redactor = new SecretRedactor([options.Password, _basic]);
    }

    /// <inheritdoc />
    public string Name => ProviderType;

    /// <inheritdoc />
    /// <exception cref="MetricTemplateException">The check has no <c>graphite</c> template, its query could not be rendered, or its credentials cannot be found.</exception>
    /// <exception cref="GraphiteQueryException">Graphite could not answer with one series.</exception>
    public async ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Inside the async method, so that a bad template faults the returned task like any other failure.
        var template = VendorTemplate.Require(query, ProviderType, Vendor);
        var source = VendorTemplate.Source(template);
        var parsed = PromQlTemplate.Parse(template.Query, source);
        var context = MetricTemplateContext.FromQuery(query);
        GraphiteQuery.CheckVariables(parsed, context);
        var text = parsed.Render(context);
        var parameters = GraphiteQuery.Parameters(text, query.Metric.EffectiveInterval, source);
        var server = await ServerForAsync(template, cancellationToken);
        return await EvaluateAsync(text, parameters, server, template, cancellationToken);
    }

    /// <summary>Runs a target against the configured server, for example <c>sumSeries(app.*.requests)</c> to check that it answers.</summary>
    /// <param name="target">The target expression, or a query string that starts with <c>target=</c>.</param>
    /// <param name="window">How far back from now the query looks, unless its query string sets <c>from</c>.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="GraphiteQueryException">Graphite could not answer with one series.</exception>
    public Task<MetricResult> EvaluateAsync(string target, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var server = new Server(_options.Address!, _basic, _options.InsecureSkipVerify, _redactor);
        return EvaluateAsync(target, GraphiteQuery.Parameters(target, window, "the target"), server, null, cancellationToken);
    }

    private Task<MetricResult> EvaluateAsync(
        string query,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        Server server,
        MetricTemplate? template,
        CancellationToken cancellationToken)
    {
        var display = VendorTemplate.Display(server.Address);
        return _http.RunAsync(
            _clients.Get(server.Insecure),
            () => BuildRequest(parameters, server, template),
            display,
            query,
            server.Redactor,
            answer => GraphiteResponse.Read(answer, query, display, server.Redactor),
            cancellationToken);
    }

    private static HttpRequestMessage BuildRequest(IReadOnlyList<KeyValuePair<string, string>> parameters, Server server, MetricTemplate? template)
    {
        var endpoint = new Uri(VendorTemplate.WithTrailingSlash(server.Address), "render");
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{endpoint.AbsoluteUri}?{query}"));
        try
        {
            VendorTemplate.AddHeaders(request, template);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (server.Basic is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", server.Basic);
            }

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
        var configured = _options.Address!;
        var address = VendorTemplate.Address(template) ?? configured;
        var insecure = _options.InsecureSkipVerify || template.Provider.InsecureSkipVerify;
        if (await VendorTemplate.ReadSecretAsync(_secrets, template, cancellationToken) is { } secret)
        {
            var username = VendorTemplate.Key(secret, UsernameSecretKey, template)!;
            if (!GraphiteOptionsValidator.IsUsername(username))
            {
                throw new MetricTemplateException(
                    $"{source}: the key \"{UsernameSecretKey}\" of secret \"{template.Provider.SecretRef}\" contains ':', which basic authentication cannot carry.",
                    source,
                    null);
            }

            var password = VendorTemplate.Key(secret, PasswordSecretKey, template)!;
            var basic = Basic(username, password);
            return new Server(address, basic, insecure, _redactor.With([password, basic]));
        }

        // The configured credentials go only to the configured server: a template must not be able to send them
        // elsewhere. Graphite is often open, so another server is queried without credentials.
        var sameServer = VendorTemplate.SameServer(address, configured);
        return new Server(address, sameServer ? _basic : null, insecure, _redactor);
    }

    private static string Basic(string username, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    private sealed record Server(Uri Address, string? Basic, bool Insecure, SecretRedactor Redactor)
    {
        // The generated ToString would print the credentials.
        public override string ToString() => VendorTemplate.Display(Address);
    }
}
