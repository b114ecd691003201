namespace Canary.Metrics.CloudWatch;

/// <summary>AWS credentials that sign a request.</summary>
/// <param name="AccessKeyId">The access key id, named in the signature.</param>
/// <param name="SecretAccessKey">The secret access key, which derives the signing key and is never sent.</param>
/// <param name="SessionToken">The session token of temporary credentials, or <see langword="null"/>.</param>
/// <param name="Expiration">When temporary credentials stop working, or <see langword="null"/> for long-term keys.</param>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, DateTimeOffset? Expiration = null)
{
    // The generated ToString would print the secret access key.
    public override string ToString() => nameof(AwsCredentials);
}
