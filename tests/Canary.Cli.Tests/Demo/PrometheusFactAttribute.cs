namespace Canary.Cli.Tests.Demo;

/// <summary>
/// A test that needs the <c>prometheus</c> binary: skipped when it is not on PATH, unless <c>CANARY_REQUIRE_PROMETHEUS=1</c>
/// (set by ./test.sh, which installs it), in which case it runs and fails saying what is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="PrometheusFactAttribute"/> class.</summary>
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.BinaryPath is null && Environment.GetEnvironmentVariable("CANARY_REQUIRE_PROMETHEUS") != "1")
        {
            Skip = "the prometheus binary is not on PATH (./test.sh installs it); set CANARY_REQUIRE_PROMETHEUS=1 to fail instead of skipping";
        }
    }
}
