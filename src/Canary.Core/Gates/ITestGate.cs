namespace Canary.Gates;

/// <summary>
/// Runs a test against the canary on the engine's host: before it takes traffic (a pre-rollout hook, against the
/// canary's own service) and while it takes production traffic (a rollout hook). A spec asks for one with a webhook
/// whose URL has the <c>exec:</c> scheme; hosts opt in with <c>AddCommandTestGates()</c> or <c>AddTestGate&lt;T&gt;()</c>.
/// </summary>
public interface ITestGate
{
    /// <summary>Runs the test and reports whether it passed; a failure is reported, not thrown.</summary>
    /// <param name="request">The test: the hook's name, type, timeout and metadata, and the canary it concerns.</param>
    /// <param name="cancellationToken">A token that cancels the test.</param>
    /// <returns>The outcome.</returns>
    ValueTask<TestGateResult> RunAsync(TestGateRequest request, CancellationToken cancellationToken);
}
