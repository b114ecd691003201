namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>
/// Finds AWS credentials where the AWS SDKs look for them, in their order: environment variables, the shared credentials
/// file, a web identity (IRSA), the container agent (ECS, EKS Pod Identity), instance metadata. The first source that is
/// configured gives them; they are kept until five minutes before they expire, and long-term keys are read again every
/// five minutes, so that a rotated file or token is picked up.
/// </summary>
internal sealed class AwsCredentialChain
{
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RereadLongTermKeys = TimeSpan.FromMinutes(5);

    private readonly AwsEnvironment _environment;
    private readonly TimeProvider _timeProvider;
    private readonly IReadOnlyList<IAwsCredentialSource> _sources;
    private volatile CachedCredentials? _cached;

    /// <summary>Initializes a new instance of the <see cref="AwsCredentialChain"/> class with the SDKs' sources.</summary>
    /// <param name="environment">The process's variables and files.</param>
    /// <param name="timeProvider">The clock of timeouts and expirations.</param>
    public AwsCredentialChain(AwsEnvironment environment, TimeProvider timeProvider)
        : this(
            environment,
            timeProvider,
            [new EnvironmentCredentialSource(), new SharedFileCredentialSource(), new WebIdentityCredentialSource(), new ContainerCredentialSource(), new InstanceMetadataCredentialSource()])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AwsCredentialChain"/> class.</summary>
    /// <param name="environment">The process's variables and files.</param>
    /// <param name="timeProvider">The clock of timeouts and expirations.</param>
    /// <param name="sources">The sources, in the order they are tried.</param>
    public AwsCredentialChain(AwsEnvironment environment, TimeProvider timeProvider, IReadOnlyList<IAwsCredentialSource> sources)
    {
        _environment = environment;
        _timeProvider = timeProvider;
        _sources = sources;
    }

    /// <summary>Gets how messages list the places looked in.</summary>
    public string Places => string.Join(", ", _sources.Select(s => s.Name));

    /// <summary>Gets credentials, from the cache while they are fresh.</summary>
    /// <param name="client">The client for the sources that ask a service.</param>
    /// <param name="region">The region of the query.</param>
    /// <param name="cancellationToken">A token that cancels the look-up.</param>
    /// <returns>The credentials, or <see langword="null"/> when no source is configured here.</returns>
    /// <exception cref="CloudWatchQueryException">A configured source could not give credentials.</exception>
    public async ValueTask<AwsCredentials?> GetAsync(HttpClient client, string region, CancellationToken cancellationToken)
    {
        if (_cached is { } cached && _timeProvider.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Credentials;
        }

        // Two queries that find the cache stale at once both look the credentials up; the sources allow that, and it
        // spares a lock on every query.
        var context = new AwsCredentialContext(_environment, client, _timeProvider, region);
        foreach (var source in _sources)
        {
            if (await source.TryGetAsync(context, cancellationToken) is { } credentials)
            {
                var refreshAt = credentials.Expiration is { } expiration ? expiration - RefreshBefore : _timeProvider.GetUtcNow() + RereadLongTermKeys;
                _cached = new CachedCredentials(credentials, refreshAt);
                return credentials;
            }
        }

        return null;
    }

    private sealed record CachedCredentials(AwsCredentials Credentials, DateTimeOffset RefreshAt);
}
