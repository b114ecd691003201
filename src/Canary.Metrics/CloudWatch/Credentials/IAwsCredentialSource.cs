namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>One place the AWS SDKs look for credentials, tried in the chain's order.</summary>
internal interface IAwsCredentialSource
{
    /// <summary>Gets how messages name the source, for example <c>environment variables (AWS_ACCESS_KEY_ID)</c>.</summary>
    string Name { get; }

    /// <summary>Reads credentials from the source.</summary>
    /// <param name="context">The environment, the HTTP client, the clock and the region.</param>
    /// <param name="cancellationToken">A token that cancels the look-up.</param>
    /// <returns>The credentials, or <see langword="null"/> when the source is not configured here.</returns>
    /// <exception cref="CloudWatchQueryException">The source is configured but could not give credentials.</exception>
    ValueTask<AwsCredentials?> TryGetAsync(AwsCredentialContext context, CancellationToken cancellationToken);
}
