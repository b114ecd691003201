namespace Canary.Gates;

/// <summary>The outcome of a test gate.</summary>
/// <param name="Passed">Whether the test passed.</param>
/// <param name="ExitCode">The test process's exit status, if a process ran to its end.</param>
/// <param name="Message">Why it failed: the exit status and the tail of the test's error output, a timeout, a bad spec.</param>
public readonly record struct TestGateResult(bool Passed, int? ExitCode = null, string? Message = null)
{
    /// <summary>Returns a failed outcome.</summary>
    /// <param name="message">Why it failed.</param>
    /// <param name="exitCode">The exit status, if any.</param>
    /// <returns>The outcome.</returns>
    public static TestGateResult Failure(string message, int? exitCode = null) => new(false, exitCode, message);
}
