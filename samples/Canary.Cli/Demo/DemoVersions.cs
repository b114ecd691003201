namespace Canary.Cli.Demo;

/// <summary>The app versions of the demo: v1 runs first, v2 is a healthy release, v3 a faulty one.</summary>
public static class DemoVersions
{
    /// <summary>The version running before the demo's rollouts.</summary>
    public const string V1 = "1.0.0";

    /// <summary>A healthy release, which the analysis promotes.</summary>
    public const string V2 = "2.0.0";

    /// <summary>A faulty release, which the analysis rolls back.</summary>
    public const string V3 = "3.0.0";

    /// <summary>Gets how a healthy version answers: no errors, 15 ms ± 10 ms.</summary>
    public static DemoPodBehavior Healthy { get; } = new(0, TimeSpan.FromMilliseconds(15), TimeSpan.FromMilliseconds(10));

    /// <summary>Gets how the faulty version answers: one request in five fails, and requests are slower (120 ms ± 60 ms).</summary>
    public static DemoPodBehavior Faulty { get; } = new(0.2, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(60));
}
