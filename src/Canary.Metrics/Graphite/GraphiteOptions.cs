namespace Canary.Metrics.Graphite;

/// <summary>
/// Where the Graphite provider sends its render queries and how it authenticates. Validated when the host starts; the
/// password never appears in messages or logs. Templates may bring their own credentials through
/// <c>provider.secretRef</c> instead.
/// </summary>
public sealed class GraphiteOptions
{
    /// <summary>The default time a query may take: 5 seconds, as Flagger's.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the URL of graphite-web (or of an API that speaks its render API), for example <c>http://graphite.monitoring</c>. A path prefix is kept.</summary>
    /// <remarks>A <c>MetricTemplate</c>'s own <c>provider.address</c> overrides it for that template's queries.</remarks>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the user name for basic authentication, or <see langword="null"/>.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password for basic authentication, or <see langword="null"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets a value indicating whether the server's TLS certificate is accepted without checks. For tests only.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Gets or sets how long one query may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan QueryTimeout { get; set; } = DefaultQueryTimeout;
}
