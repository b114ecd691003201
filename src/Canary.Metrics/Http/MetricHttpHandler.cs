namespace Canary.Metrics.Http;

/// <summary>Builds the HTTP handlers of the vendor providers' named clients.</summary>
internal static class MetricHttpHandler
{
    // Long-lived clients still see DNS changes when pooled connections are recycled.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Creates a handler.</summary>
    /// <param name="insecureSkipVerify">Whether the server's certificate is accepted without checks.</param>
    /// <returns>The handler.</returns>
    public static SocketsHttpHandler Create(bool insecureSkipVerify)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = PooledConnectionLifetime,
            // A redirect could carry the credential headers to another host.
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };

        if (insecureSkipVerify)
        {
            // Only for a user who asked for it by name (InsecureSkipVerify), as Flagger's templates allow.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }
}
