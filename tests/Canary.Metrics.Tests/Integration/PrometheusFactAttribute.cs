namespace Canary.Metrics.Tests.Integration;

/// <summary>
/// A test that needs a real Prometheus server: skipped when the binary is missing, unless
/// <c>CANARY_REQUIRE_PROMETHEUS=1</c>, in which case it runs and fails saying what is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="PrometheusFactAttribute"/> class.</summary>
    public PrometheusFactAttribute()
    {
        if (PrometheusBinary.Path is null && !PrometheusBinary.Required)
        {
            Skip = PrometheusBinary.MissingMessage;
        }
    }
}
