using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>
/// A role assumed with a web identity token (<c>AWS_ROLE_ARN</c>, <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>), as EKS's IAM roles
/// for service accounts inject them: STS <c>AssumeRoleWithWebIdentity</c>, which needs no signature.
/// </summary>
/// <remarks>
/// The STS endpoint is <c>AWS_ENDPOINT_URL_STS</c> (or <c>AWS_ENDPOINT_URL</c>), else the regional one of <c>AWS_REGION</c>,
/// <c>AWS_DEFAULT_REGION</c> or the query's region. The session is named <c>AWS_ROLE_SESSION_NAME</c>, or <c>canary-</c>
/// and the time.
/// </remarks>
internal sealed class WebIdentityCredentialSource : IAwsCredentialSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Name => "a web identity (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)";

    /// <inheritdoc />
    public async ValueTask<AwsCredentials?> TryGetAsync(AwsCredentialContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var tokenFile = environment.Variable("AWS_WEB_IDENTITY_TOKEN_FILE");
        var role = environment.Variable("AWS_ROLE_ARN");
        if (tokenFile is null && role is null)
        {
            return null;
        }

        if (tokenFile is null || role is null)
        {
            var missing = tokenFile is null ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN";
            throw new CloudWatchQueryException($"A web identity for AWS is half configured: {missing} is not set, and assuming a role needs both it and the other.");
        }

        var token = environment.ReadFile(tokenFile)?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw new CloudWatchQueryException($"AWS_WEB_IDENTITY_TOKEN_FILE names {tokenFile}, which does not exist or is empty.");
        }

        var endpoint = Endpoint(context);
        var session = environment.Variable("AWS_ROLE_SESSION_NAME")
            ?? string.Create(CultureInfo.InvariantCulture, $"canary-{context.TimeProvider.GetUtcNow().ToUnixTimeSeconds()}");
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "AssumeRoleWithWebIdentity",
                ["Version"] = "2011-06-15",
                ["RoleArn"] = role,
                ["RoleSessionName"] = session,
                ["WebIdentityToken"] = token,
            }),
        };
        var where = $"STS at {endpoint.GetLeftPart(UriPartial.Authority)} (AssumeRoleWithWebIdentity for {role})";
        var answer = await context.SendAsync(request, Timeout, cancellationToken)
            ?? throw new CloudWatchQueryException($"{where} did not answer within {Timeout.TotalSeconds:0} seconds.");
        return Read(answer.Status, answer.Body, where, token);
    }

    private static Uri Endpoint(AwsCredentialContext context)
    {
        var environment = context.Environment;
        if ((environment.Variable("AWS_ENDPOINT_URL_STS") ?? environment.Variable("AWS_ENDPOINT_URL")) is { } configured)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri
                : throw new CloudWatchQueryException($"AWS_ENDPOINT_URL_STS \"{configured}\" is not an http or https URL.");
        }

        var region = environment.Variable("AWS_REGION") ?? environment.Variable("AWS_DEFAULT_REGION") ?? context.Region;
        return new Uri(region.StartsWith("cn-", StringComparison.Ordinal)
            ? $"https://sts.{region}.amazonaws.com.cn/"
            : $"https://sts.{region}.amazonaws.com/");
    }

    private static AwsCredentials Read(System.Net.HttpStatusCode status, string body, string where, string token)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(body);
        }
        catch (XmlException)
        {
            throw new CloudWatchQueryException($"{where} answered {(int)status} with a body that is not XML.") { StatusCode = status };
        }

        if ((int)status is < 200 or > 299)
        {
            var code = Element(document, "Code") ?? "an error";
            var message = Element(document, "Message")?.Replace(token, "[redacted]", StringComparison.Ordinal) ?? "no message";
            throw new CloudWatchQueryException($"{where} answered {(int)status} {code}: {message}") { StatusCode = status, ErrorType = code };
        }

        var credentials = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Credentials");
        if (credentials is null
            || Child(credentials, "AccessKeyId") is not { } keyId
            || Child(credentials, "SecretAccessKey") is not { } secret)
        {
            throw new CloudWatchQueryException($"{where} answered without Credentials.") { StatusCode = status };
        }

        return new AwsCredentials(keyId, secret, Child(credentials, "SessionToken"), CredentialDocument.Expiration(Child(credentials, "Expiration")));
    }

    private static string? Element(XDocument document, string name) =>
        document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value is { Length: > 0 } value ? value : null;
}
