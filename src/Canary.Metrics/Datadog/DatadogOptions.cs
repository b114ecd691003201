namespace Canary.Metrics.Datadog;

/// <summary>
/// Where the Datadog provider sends its queries and the keys it sends. Validated when the host starts; the keys never
/// appear in messages or logs. Templates may bring their own keys through <c>provider.secretRef</c> instead.
/// </summary>
public sealed class DatadogOptions
{
    /// <summary>The default time a query may take: 5 seconds, as Flagger's.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The site used when neither <see cref="Address"/> nor <see cref="Site"/> is set: <c>datadoghq.com</c>.</summary>
    public const string DefaultSite = "datadoghq.com";

    /// <summary>Gets or sets the API's URL, for example a proxy; <see langword="null"/> uses <c>https://api.</c> and <see cref="Site"/>.</summary>
    /// <remarks>A <c>MetricTemplate</c>'s own <c>provider.address</c> overrides it for that template's queries.</remarks>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the Datadog site, for example <c>datadoghq.eu</c> or <c>us3.datadoghq.com</c>; the API is at <c>https://api.</c> and the site.</summary>
    /// <value>The default value is <see langword="null"/>, which is <see cref="DefaultSite"/>.</value>
    public string? Site { get; set; }

    /// <summary>Gets or sets the API key, sent as <c>DD-API-KEY</c>, or <see langword="null"/> when every template names a secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the application key, sent as <c>DD-APPLICATION-KEY</c>; it needs the <c>timeseries_query</c> permission.</summary>
    public string? ApplicationKey { get; set; }

    /// <summary>Gets or sets how long one query may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan QueryTimeout { get; set; } = DefaultQueryTimeout;

    /// <summary>Gets the address queries go to: <see cref="Address"/>, or the API of <see cref="Site"/>.</summary>
    /// <returns>The address.</returns>
    internal Uri EffectiveAddress() => Address ?? new Uri($"https://api.{Site ?? DefaultSite}/");
}
