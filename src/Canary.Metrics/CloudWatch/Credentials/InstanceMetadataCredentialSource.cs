using System.Net;

namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>
/// The instance profile's role on EC2, from the instance metadata service with a session token (IMDSv2). Skipped when
/// <c>AWS_EC2_METADATA_DISABLED</c> is <c>true</c>; <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> moves the service.
/// </summary>
/// <remarks>Off EC2 the service does not answer; the source then gives nothing after a short timeout, as the SDKs do.</remarks>
internal sealed class InstanceMetadataCredentialSource : IAwsCredentialSource
{
    private const string DefaultEndpoint = "http://169.254.169.254/";
    private const string RolesPath = "latest/meta-data/iam/security-credentials/";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public string Name => "instance metadata (IMDSv2)";

    /// <inheritdoc />
    public async ValueTask<AwsCredentials?> TryGetAsync(AwsCredentialContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (string.Equals(environment.Variable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var configured = environment.Variable("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? DefaultEndpoint;
        if (!Uri.TryCreate(configured.EndsWith('/') ? configured : configured + "/", UriKind.Absolute, out var endpoint))
        {
            throw new CloudWatchQueryException($"AWS_EC2_METADATA_SERVICE_ENDPOINT \"{configured}\" is not a URL.");
        }

        var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(endpoint, "latest/api/token"));
        tokenRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token-ttl-seconds", "21600");
        if (await context.SendAsync(tokenRequest, Timeout, cancellationToken) is not { Status: HttpStatusCode.OK } token)
        {
            return null;
        }

        var where = $"Instance metadata at {endpoint.GetLeftPart(UriPartial.Authority)}";
        var roles = await GetAsync(context, new Uri(endpoint, RolesPath), token.Body, where, cancellationToken);
        var role = roles.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? throw new CloudWatchQueryException($"{where} has no IAM role: attach an instance profile, or give credentials another way.");
        var document = await GetAsync(context, new Uri(endpoint, RolesPath + Uri.EscapeDataString(role)), token.Body, where, cancellationToken);
        return CredentialDocument.Read(document, $"{where} (role {role})");
    }

    private static async Task<string> GetAsync(AwsCredentialContext context, Uri address, string token, string where, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        var answer = await context.SendAsync(request, Timeout, cancellationToken)
            ?? throw new CloudWatchQueryException($"{where} did not answer within {Timeout.TotalSeconds:0} second.");
        return answer.Status == HttpStatusCode.OK
            ? answer.Body
            : throw new CloudWatchQueryException($"{where} answered {(int)answer.Status} for {address.AbsolutePath}.") { StatusCode = answer.Status };
    }
}
