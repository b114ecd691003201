namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Prometheus metric provider to Canary's engine.</summary>
public static class PrometheusCanaryBuilderExtensions
{
    /// <summary>Adds the Prometheus metric provider, which answers the builtin metrics and <c>prometheus</c> templates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options, at least <see cref="Canary.Metrics.Prometheus.PrometheusOptions.Address"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddPrometheus(this ICanaryBuilder builder, Action<Canary.Metrics.Prometheus.PrometheusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCanaryPrometheus(configure);
        return builder;
    }
}
