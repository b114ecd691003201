namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the New Relic metric provider to Canary's engine.</summary>
public static class NewRelicCanaryBuilderExtensions
{
    /// <summary>Adds the New Relic metric provider, which answers <c>newrelic</c> templates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options: the account and query key, unless every template names a secret, and the region's address.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddNewRelic(this ICanaryBuilder builder, Action<Canary.Metrics.NewRelic.NewRelicOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCanaryNewRelic(configure);
        return builder;
    }
}
