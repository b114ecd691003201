namespace Canary.Metrics.Http;

/// <summary>
/// The <see cref="HttpClient"/> a provider sends a query with: either one the caller owns, or a named client of
/// <see cref="IHttpClientFactory"/>, with a second named client for servers whose certificate is not verified.
/// </summary>
internal sealed class VendorHttpClients
{
    private readonly Func<bool, HttpClient> _client;

    private VendorHttpClients(Func<bool, HttpClient> client) => _client = client;

    /// <summary>Uses one client the caller owns for every query; its handler's TLS settings apply to all of them.</summary>
    /// <param name="httpClient">The client.</param>
    /// <returns>The clients.</returns>
    public static VendorHttpClients Fixed(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return new VendorHttpClients(_ => httpClient);
    }

    /// <summary>Uses the factory's named clients.</summary>
    /// <param name="httpClientFactory">The factory.</param>
    /// <param name="name">The client that verifies certificates.</param>
    /// <param name="insecureName">The client that skips verification, or <see langword="null"/> when the provider never skips it.</param>
    /// <returns>The clients.</returns>
    public static VendorHttpClients FromFactory(IHttpClientFactory httpClientFactory, string name, string? insecureName = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return new VendorHttpClients(insecure => httpClientFactory.CreateClient(insecure && insecureName is not null ? insecureName : name));
    }

    /// <summary>Gets the client for one query.</summary>
    /// <param name="insecureSkipVerify">Whether the server's certificate is not to be verified.</param>
    /// <returns>The client; the factory's clients need not be disposed.</returns>
    public HttpClient Get(bool insecureSkipVerify = false) => _client(insecureSkipVerify);
}
