namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the CloudWatch metric provider to Canary's engine.</summary>
public static class CloudWatchCanaryBuilderExtensions
{
    /// <summary>Adds the CloudWatch metric provider, which answers <c>cloudwatch</c> templates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options: the region and the credentials, unless every template sets its own.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddCloudWatch(this ICanaryBuilder builder, Action<Canary.Metrics.CloudWatch.CloudWatchOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCanaryCloudWatch(configure);
        return builder;
    }
}
