namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Reads a bearer token from a file and reads it again once the refresh interval has passed or after a 401, because projected
/// service-account tokens are rotated by the kubelet while the process runs.
/// </summary>
internal sealed class TokenFileCredentialProvider : KubernetesCredentialProvider
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _refreshInterval;
    private KubernetesCredentials? _current;
    private DateTimeOffset _readAt;

    public TokenFileCredentialProvider(string path, TimeProvider timeProvider, TimeSpan refreshInterval)
    {
        Path = path;
        _timeProvider = timeProvider;
        _refreshInterval = refreshInterval;
    }

    public string Path { get; }

    public override ValueTask<KubernetesCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            if (_current is not null && now - _readAt < _refreshInterval)
            {
                return ValueTask.FromResult(_current);
            }

            string token;
            try
            {
                token = File.ReadAllText(Path).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A rotation can briefly remove the file; the previous token is still valid for a while.
                if (_current is not null)
                {
                    return ValueTask.FromResult(_current);
                }

                throw new KubernetesCredentialException($"Cannot read the bearer token file \"{Path}\": {ex.Message}", ex);
            }

            if (token.Length == 0)
            {
                if (_current is not null)
                {
                    return ValueTask.FromResult(_current);
                }

                throw new KubernetesCredentialException($"The bearer token file \"{Path}\" is empty.");
            }

            _current = new KubernetesCredentials(token, null, null);
            _readAt = now;
            return ValueTask.FromResult(_current);
        }
    }

    public override void Invalidate()
    {
        lock (_gate)
        {
            // Keep the old token as a fallback, but force a re-read on the next call.
            _readAt = DateTimeOffset.MinValue;
        }
    }
}
