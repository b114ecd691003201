using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Canary.Analysis;
using Canary.Metrics.Http;
using Canary.Metrics.Templates;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.NewRelic;

/// <summary>
/// Measures metric checks whose <c>MetricTemplate</c> has provider type <c>newrelic</c>, with NRQL through New
/// Relic's Insights query API (<c>GET /v1/accounts/{id}/query?nrql=</c>), as Flagger does: the query gets
/// <c>SINCE n seconds ago</c> for the check's interval, unless it has a <c>SINCE</c> clause of its own.
/// </summary>
/// <remarks>
/// The value is the first numeric field of the first result. No results, or a first result without a number (no
/// event matched), is no data; so are facets and time series, which are not one value. A New Relic error, an HTTP
/// error or a timeout throws <see cref="NewRelicQueryException"/>. The credentials come from the template's
/// <c>provider.secretRef</c> (<c>newrelic_account_id</c>, <c>newrelic_query_key</c>), or else from
/// <see cref="NewRelicOptions"/>, which are sent only to the configured address.
/// </remarks>
public sealed partial class NewRelicMetricProvider : IMetricProvider
{
    /// <summary>The provider type this provider serves: <c>newrelic</c>.</summary>
    public const string ProviderType = "newrelic";

    /// <summary>The name of the <see cref="HttpClient"/> that <see cref="IHttpClientFactory"/> gives this provider.</summary>
    public const string HttpClientName = "Canary.NewRelic";

    /// <summary>The secret key of the account's number, as Flagger names it.</summary>
    public const string AccountIdSecretKey = "newrelic_account_id";

    /// <summary>The secret key of the Insights query key, as Flagger names it.</summary>
    public const string QueryKeySecretKey = "newrelic_query_key";

    private const string Vendor = "New Relic";

    private readonly VendorHttpClients _clients;
    private readonly NewRelicOptions _options;
    private readonly IMetricSecretResolver? _secrets;
    private readonly MetricHttpQuery _http;
    private readonly SecretRedactor _redactor;

    /// <summary>Initializes a new instance of the <see cref="NewRelicMetricProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="options">The options.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public NewRelicMetricProvider(
        HttpClient httpClient,
        NewRelicOptions options,
        IMetricSecretResolver? secrets = null,
        ILogger<NewRelicMetricProvider>? logger = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.Fixed(httpClient), options, secrets, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NewRelicMetricProvider"/> class with the client of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="HttpClientName"/> client.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="secrets">Reads the secrets that templates name, or <see langword="null"/> when none do.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public NewRelicMetricProvider(
        IHttpClientFactory httpClientFactory,
        IOptions<NewRelicOptions> options,
        ILogger<NewRelicMetricProvider> logger,
        IMetricSecretResolver? secrets = null,
        TimeProvider? timeProvider = null)
        : this(VendorHttpClients.FromFactory(httpClientFactory, HttpClientName), (options ?? throw new ArgumentNullException(nameof(options))).Value, secrets, logger, timeProvider)
    {
    }

    private NewRelicMetricProvider(VendorHttpClients clients, NewRelicOptions options, IMetricSecretResolver? secrets, ILogger? logger, TimeProvider? timeProvider)
    {
        OptionChecks.ThrowIfInvalid(options, NewRelicOptionsValidator.Problems);
        _clients = clients;
        _options = options;
        _secrets = secrets;
        _http = new MetricHttpQuery(
            Vendor,
            "NewRelicOptions.QueryTimeout",
            options.QueryTimeout,
            logger ?? NullLogger.Instance,
            timeProvider ?? TimeProvider.System,
            static f => new NewRelicQueryException(f.Message, f.InnerException) { Query = f.Query, StatusCode = f.StatusCode });
        _redactor = new SecretRedactor([options.QueryKey]);
    }

    /// <inheritdoc />
    public string Name => ProviderType;

    /// <inheritdoc />
    /// <exception cref="MetricTemplateException">The check has no <c>newrelic</c> template, its query could not be rendered, or its credentials cannot be found.</exception>
    /// <exception cref="NewRelicQueryException">New Relic could not answer the query.</exception>
    public async ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Inside the async method, so that a bad template faults the returned task like any other failure.
        var template = VendorTemplate.Require(query, ProviderType, Vendor);
        var nrql = WithWindow(VendorTemplate.Render(query, template), query.Metric.EffectiveInterval);
        var account = await AccountForAsync(template, cancellationToken);
        return await EvaluateAsync(nrql, account, template, cancellationToken);
    }

    /// <summary>Runs an NRQL query against the configured account, for example to check that the credentials work.</summary>
    /// <param name="nrql">The query, for example <c>SELECT count(*) FROM Transaction</c>.</param>
    /// <param name="window">How far back from now the query looks, unless it has a <c>SINCE</c> clause.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The value, or no data.</returns>
    /// <exception cref="InvalidOperationException">The options have no account and query key.</exception>
    /// <exception cref="NewRelicQueryException">New Relic could not answer the query.</exception>
    public Task<MetricResult> EvaluateAsync(string nrql, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nrql);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        if (string.IsNullOrEmpty(_options.QueryKey))
        {
            throw new InvalidOperationException("NewRelicOptions has no AccountId and QueryKey to query with.");
        }

        var account = new Account(_options.Address!, _options.AccountId!, _options.QueryKey, _redactor);
        return EvaluateAsync(WithWindow(nrql, window), account, null, cancellationToken);
    }

    private Task<MetricResult> EvaluateAsync(string nrql, Account account, MetricTemplate? template, CancellationToken cancellationToken)
    {
        // The account's number stays out of messages with the rest of the credentials.
        var display = VendorTemplate.Display(account.Address);
        return _http.RunAsync(
            _clients.Get(),
            () => BuildRequest(nrql, account, template),
            display,
            nrql,
            account.Redactor,
            answer => NewRelicResponse.Read(answer, nrql, display, account.Redactor),
            cancellationToken);
    }

    private static HttpRequestMessage BuildRequest(string nrql, Account account, MetricTemplate? template)
    {
        var endpoint = new Uri(VendorTemplate.WithTrailingSlash(account.Address), $"v1/accounts/{account.Id}/query");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{endpoint.AbsoluteUri}?nrql={Uri.EscapeDataString(nrql)}"));
        try
        {
            VendorTemplate.AddHeaders(request, template);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Remove("X-Query-Key");
            request.Headers.TryAddWithoutValidation("X-Query-Key", account.QueryKey);
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private async ValueTask<Account> AccountForAsync(MetricTemplate template, CancellationToken cancellationToken)
    {
        var source = VendorTemplate.Source(template);
        var configured = _options.Address!;
        var address = VendorTemplate.Address(template) ?? configured;
        if (await VendorTemplate.ReadSecretAsync(_secrets, template, cancellationToken) is { } secret)
        {
            var accountId = VendorTemplate.Key(secret, AccountIdSecretKey, template)!;
            if (!NewRelicOptionsValidator.IsAccountId(accountId))
            {
                throw new MetricTemplateException(
                    $"{source}: the key \"{AccountIdSecretKey}\" of secret \"{template.Provider.SecretRef}\" is not an account number (digits only).",
                    source,
                    null);
            }

            var queryKey = VendorTemplate.Key(secret, QueryKeySecretKey, template)!;
            return new Account(address, accountId, queryKey, _redactor.With([queryKey]));
        }

        // The configured key goes only to the configured server: a template must not be able to send it elsewhere.
        if (!VendorTemplate.SameServer(address, configured))
        {
            throw new MetricTemplateException(
                $"{source} sends its queries to {VendorTemplate.Display(address)}, but the query key of NewRelicOptions is only sent to " +
                $"{VendorTemplate.Display(configured)}: set provider.secretRef to a secret with {AccountIdSecretKey} and {QueryKeySecretKey}.",
                source,
                null);
        }

        if (string.IsNullOrEmpty(_options.QueryKey))
        {
            throw new MetricTemplateException(
                $"{source} has no provider.secretRef, and NewRelicOptions has no AccountId and QueryKey: set one or the other.",
                source,
                null);
        }

        return new Account(address, _options.AccountId!, _options.QueryKey, _redactor);
    }

    // Flagger appends the window the same way; a query with its own SINCE keeps it, since NRQL allows only one.
    private static string WithWindow(string nrql, TimeSpan window) =>
        SinceClause().IsMatch(nrql)
            ? nrql
            : string.Create(CultureInfo.InvariantCulture, $"{nrql} SINCE {Math.Max(1, (long)Math.Ceiling(window.TotalSeconds))} seconds ago");

    [GeneratedRegex(@"\bSINCE\b", RegexOptions.IgnoreCase)]
    private static partial Regex SinceClause();

    private sealed record Account(Uri Address, string Id, string QueryKey, SecretRedactor Redactor)
    {
        // The generated ToString would print the key.
        public override string ToString() => VendorTemplate.Display(Address);
    }
}
