using System.Net;

namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>
/// Credentials from the container agent: ECS task roles (<c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>) and EKS Pod
/// Identity (<c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> with <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>).
/// </summary>
/// <remarks>
/// As the AWS SDKs, a full URI over plain HTTP must point at the machine itself or at the agents' link-local
/// addresses, so that the authorization token is never sent across a network in clear.
/// </remarks>
internal sealed class ContainerCredentialSource : IAwsCredentialSource
{
    private const string EcsAgent = "http://169.254.170.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly string[] AgentHosts = ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"];

    /// <inheritdoc />
    public string Name => "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI)";

    /// <inheritdoc />
    public async ValueTask<AwsCredentials?> TryGetAsync(AwsCredentialContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        Uri address;
        if (environment.Variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is { } relative)
        {
            address = new Uri(EcsAgent + (relative.StartsWith('/') ? relative : "/" + relative));
        }
        else if (environment.Variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { } full)
        {
            if (!Uri.TryCreate(full, UriKind.Absolute, out address!) || !(address.Scheme == Uri.UriSchemeHttps || IsAllowedHttp(address)))
            {
                throw new CloudWatchQueryException(
                    $"AWS_CONTAINER_CREDENTIALS_FULL_URI \"{full}\" must be https, or http to this machine or the container agent ({string.Join(", ", AgentHosts)}).");
            }
        }
        else
        {
            return null;
        }

        var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (Authorization(environment) is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var where = $"The container credentials agent at {address.GetLeftPart(UriPartial.Authority)}";
        var answer = await context.SendAsync(request, Timeout, cancellationToken)
            ?? throw new CloudWatchQueryException($"{where} did not answer within {Timeout.TotalSeconds:0} seconds.");
        if (answer.Status != HttpStatusCode.OK)
        {
            throw new CloudWatchQueryException($"{where} answered {(int)answer.Status}.") { StatusCode = answer.Status };
        }

        return CredentialDocument.Read(answer.Body, where);
    }

    private static string? Authorization(AwsEnvironment environment)
    {
        if (environment.Variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") is { } file)
        {
            // EKS rotates the token in the file, so it is read on every call.
            return environment.ReadFile(file)?.Trim() is { Length: > 0 } token
                ? token
                : throw new CloudWatchQueryException($"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names {file}, which does not exist or is empty.");
        }

        return environment.Variable("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }

    private static bool IsAllowedHttp(Uri address) =>
        address.Scheme == Uri.UriSchemeHttp
        && (address.IsLoopback || AgentHosts.Contains(address.Host, StringComparer.OrdinalIgnoreCase));
}
