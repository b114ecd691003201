namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Datadog metric provider to Canary's engine.</summary>
public static class DatadogCanaryBuilderExtensions
{
    /// <summary>Adds the Datadog metric provider, which answers <c>datadog</c> templates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options: the keys, unless every template names a secret, and the site.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddDatadog(this ICanaryBuilder builder, Action<Canary.Metrics.Datadog.DatadogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCanaryDatadog(configure);
        return builder;
    }
}
