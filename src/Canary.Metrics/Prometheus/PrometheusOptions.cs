namespace Canary.Metrics.Prometheus;

/// <summary>
/// Where the Prometheus provider sends its queries and how it authenticates. Validated when the host starts; the
/// secrets (<see cref="BearerToken"/>, <see cref="Password"/>) never appear in messages or logs.
/// </summary>
public sealed class PrometheusOptions
{
    /// <summary>The default time a query may take: 5 seconds, as Flagger's.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the Prometheus server's URL, for example <c>http://prometheus.monitoring:9090</c>. A path prefix is kept.</summary>
    /// <remarks>A <c>MetricTemplate</c>'s own <c>provider.address</c> overrides it for that template's queries.</remarks>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets a bearer token sent as <c>Authorization: Bearer</c>, or <see langword="null"/>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Gets or sets the user name for basic authentication, or <see langword="null"/>.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password for basic authentication, or <see langword="null"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the path of a PEM file with the certificate authorities that sign the server's certificate, or <see langword="null"/> for the system's.</summary>
    public string? CaFile { get; set; }

    /// <summary>Gets or sets PEM text with the certificate authorities that sign the server's certificate, or <see langword="null"/> for the system's.</summary>
    public string? CaPem { get; set; }

    /// <summary>Gets or sets a value indicating whether the server's TLS certificate is accepted without checks. For tests only.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Gets or sets how long one query may take, sent to Prometheus as its <c>timeout</c> too.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan QueryTimeout { get; set; } = DefaultQueryTimeout;

    /// <summary>Gets or sets a value indicating whether queries are sent as a <c>POST</c> form instead of a <c>GET</c>, for queries too long for a URL.</summary>
    public bool UsePost { get; set; }
}
