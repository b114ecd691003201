namespace Canary.Metrics.NewRelic;

/// <summary>
/// Where the New Relic provider sends its NRQL queries (the Insights query API) and the credentials it sends.
/// Validated when the host starts; the query key never appears in messages or logs. Templates may bring their own
/// credentials through <c>provider.secretRef</c> instead.
/// </summary>
public sealed class NewRelicOptions
{
    /// <summary>The default time a query may take: 5 seconds, as Flagger's.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The Insights query API of New Relic's US region: <c>https://insights-api.newrelic.com</c>.</summary>
    public static readonly Uri DefaultAddress = new("https://insights-api.newrelic.com");

    /// <summary>The Insights query API of New Relic's EU region: <c>https://insights-api.eu.newrelic.com</c>.</summary>
    public static readonly Uri EuropeAddress = new("https://insights-api.eu.newrelic.com");

    /// <summary>Gets or sets the Insights query API's URL.</summary>
    /// <value>The default value is <see cref="DefaultAddress"/>; accounts in the EU region use <see cref="EuropeAddress"/>.</value>
    /// <remarks>A <c>MetricTemplate</c>'s own <c>provider.address</c> overrides it for that template's queries.</remarks>
    public Uri? Address { get; set; } = DefaultAddress;

    /// <summary>Gets or sets the account's number, or <see langword="null"/> when every template names a secret.</summary>
    public string? AccountId { get; set; }

    /// <summary>Gets or sets the Insights query key, sent as <c>X-Query-Key</c>.</summary>
    public string? QueryKey { get; set; }

    /// <summary>Gets or sets how long one query may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan QueryTimeout { get; set; } = DefaultQueryTimeout;
}
