namespace Canary.Cli.Tests.Demo;

/// <summary>
/// A test that needs the <c>prometheus</c> binary: skipped when it is neither on PATH nor at /usr/bin/prometheus, unless
/// <c>CANARY_REQUIRE_PROMETHEUS=1</c> (set by ./test.sh, which installs it), in which case it runs and fails saying what is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="PrometheusFactAttribute"/> class.</summary>
    public PrometheusFactAttribute()
    {
        Skip = SkipReason();
    }

    /// <summary>Gets what a test that needs the binary says when it is missing.</summary>
    public static string MissingMessage =>
        "the prometheus binary is neither on PATH nor at /usr/bin/prometheus: run ./test.sh, or eng/deps/apt-install.sh prometheus=prometheus, to install it";

    /// <summary>Returns why a test that needs the binary is skipped here, or <see langword="null"/> when it runs.</summary>
    public static string? SkipReason() =>
        PrometheusServer.BinaryPath is null && Environment.GetEnvironmentVariable("CANARY_REQUIRE_PROMETHEUS") != "1"
            ? $"{MissingMessage}; set CANARY_REQUIRE_PROMETHEUS=1 to fail instead of skipping"
            : null;
}
