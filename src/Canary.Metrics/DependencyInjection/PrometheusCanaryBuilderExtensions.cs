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

    /// <summary>
    /// Adds the Prometheus traffic-sample provider, which counts the workloads' requests, errors and latencies for the statistical
    /// judge (<c>analysis.judge</c>) from the series of the builtin metrics.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use those given to <see cref="AddPrometheus"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddPrometheusTrafficSamples(this ICanaryBuilder builder, Action<Canary.Metrics.Prometheus.PrometheusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCanaryPrometheusTrafficSamples(configure);
        return builder;
    }
}
