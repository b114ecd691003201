namespace Canary.Metrics.CloudWatch;

/// <summary>
/// Where the CloudWatch provider sends its <c>GetMetricData</c> calls and the AWS credentials it signs them with.
/// Validated when the host starts; the secret access key and the session token never appear in messages or logs.
/// Templates may bring their own credentials through <c>provider.secretRef</c> instead.
/// </summary>
public sealed class CloudWatchOptions
{
    /// <summary>The default time a query may take: 5 seconds, as Flagger's.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the AWS region, for example <c>eu-west-1</c>, or <see langword="null"/> when every template sets <c>provider.region</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Gets or sets the endpoint, for example a VPC endpoint; <see langword="null"/> uses <c>https://monitoring.{region}.amazonaws.com</c>.</summary>
    /// <remarks>A <c>MetricTemplate</c>'s own <c>provider.address</c> overrides it for that template's queries.</remarks>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the access key id, or <see langword="null"/> when every template names a secret.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Gets or sets the secret access key that signs the requests; it is never sent.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Gets or sets the session token of temporary credentials, sent as <c>X-Amz-Security-Token</c>, or <see langword="null"/>.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether, when neither these options nor a template give keys, the provider looks
    /// for credentials where the AWS SDKs do: <c>AWS_ACCESS_KEY_ID</c> and its peers, the shared credentials file and
    /// <c>AWS_PROFILE</c>, a web identity (<c>AWS_ROLE_ARN</c> with <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>, as EKS injects
    /// them), the container agent (ECS task roles, EKS Pod Identity), and instance metadata (IMDSv2).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseAmbientCredentials { get; set; } = true;

    /// <summary>Gets or sets how long one query may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan QueryTimeout { get; set; } = DefaultQueryTimeout;

    /// <summary>Gets the public endpoint of CloudWatch in a region.</summary>
    /// <param name="region">The region, for example <c>eu-west-1</c>.</param>
    /// <returns>The endpoint; the China regions use <c>amazonaws.com.cn</c>.</returns>
    internal static Uri DefaultEndpoint(string region) =>
        new(region.StartsWith("cn-", StringComparison.Ordinal)
            ? $"https://monitoring.{region}.amazonaws.com.cn/"
            : $"https://monitoring.{region}.amazonaws.com/");
}
