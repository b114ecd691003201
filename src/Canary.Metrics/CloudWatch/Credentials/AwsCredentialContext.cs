namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>What a credential source may use.</summary>
/// <param name="Environment">The process's variables and files.</param>
/// <param name="Client">The client for the sources that ask a service (STS, the container agent, instance metadata).</param>
/// <param name="TimeProvider">The clock of timeouts and expirations.</param>
/// <param name="Region">The region of the query, for the regional STS endpoint.</param>
internal sealed record AwsCredentialContext(AwsEnvironment Environment, HttpClient Client, TimeProvider TimeProvider, string Region)
{
    /// <summary>Sends a request with a timeout on the context's clock, and reads the whole answer.</summary>
    /// <param name="request">The request; disposed here.</param>
    /// <param name="timeout">How long the call may take.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The status and the body, or <see langword="null"/> when the service did not answer in time or could not be reached.</returns>
    public async Task<(System.Net.HttpStatusCode Status, string Body)?> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var deadline = new CancellationTokenSource(timeout, TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                using var response = await Client.SendAsync(request, linked.Token);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(linked.Token));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }
    }
}
