namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Graphite metric provider to Canary's engine.</summary>
public static class GraphiteCanaryBuilderExtensions
{
    /// <summary>Adds the Graphite metric provider, which answers <c>graphite</c> templates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options, at least <see cref="Canary.Metrics.Graphite.GraphiteOptions.Address"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddGraphite(this ICanaryBuilder builder, Action<Canary.Metrics.Graphite.GraphiteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCanaryGraphite(configure);
        return builder;
    }
}
