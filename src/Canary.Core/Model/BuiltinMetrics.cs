namespace Canary.Model;

/// <summary>The metrics every traffic provider can measure without a template.</summary>
public static class BuiltinMetrics
{
    /// <summary>The percentage of the canary's requests that did not answer 5xx.</summary>
    public const string RequestSuccessRate = "request-success-rate";

    /// <summary>The 99th percentile of the canary's request durations, in milliseconds.</summary>
    public const string RequestDuration = "request-duration";

    /// <summary>Gets a value indicating whether <paramref name="name"/> is a builtin metric.</summary>
    /// <param name="name">A metric name.</param>
    /// <returns><see langword="true"/> for a builtin metric.</returns>
    public static bool IsBuiltin(string name) => name is RequestSuccessRate or RequestDuration;
}
