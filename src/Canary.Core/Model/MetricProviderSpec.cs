namespace Canary.Model;

/// <summary>Where a <see cref="MetricTemplate"/>'s query is sent.</summary>
public sealed record MetricProviderSpec
{
    /// <summary>Gets the provider's type, for example <c>prometheus</c> or <c>datadog</c>.</summary>
    /// <value>The default value is <c>prometheus</c>.</value>
    public string Type { get; init; } = "prometheus";

    /// <summary>Gets the provider's address, or <see langword="null"/> for the host's configured one.</summary>
    public Uri? Address { get; init; }

    /// <summary>Gets the name of the Secret that holds the provider's credentials, or <see langword="null"/>.</summary>
    public string? SecretRef { get; init; }

    /// <summary>Gets the region, for cloud providers.</summary>
    public string? Region { get; init; }

    /// <summary>Gets a value indicating whether TLS certificates are not verified.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>Gets extra HTTP headers sent with each query.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyDictionary.Instance;
}
