namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>Keys in <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and, for temporary keys, <c>AWS_SESSION_TOKEN</c>.</summary>
internal sealed class EnvironmentCredentialSource : IAwsCredentialSource
{
    /// <inheritdoc />
    public string Name => "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)";

    /// <inheritdoc />
    public ValueTask<AwsCredentials?> TryGetAsync(AwsCredentialContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var keyId = environment.Variable("AWS_ACCESS_KEY_ID");
        var secret = environment.Variable("AWS_SECRET_ACCESS_KEY");
        if (keyId is null && secret is null)
        {
            return ValueTask.FromResult<AwsCredentials?>(null);
        }

        if (keyId is null || secret is null)
        {
            var missing = keyId is null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
            throw new CloudWatchQueryException($"AWS credentials in the environment are incomplete: {missing} is not set, and signing needs both keys.");
        }

        return ValueTask.FromResult<AwsCredentials?>(new AwsCredentials(keyId, secret, environment.Variable("AWS_SESSION_TOKEN")));
    }
}
