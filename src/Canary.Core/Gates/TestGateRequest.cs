using Canary.Model;

namespace Canary.Gates;

/// <summary>A test that an <see cref="ITestGate"/> runs, as the spec's <c>exec:</c> webhook describes it.</summary>
/// <param name="Name">The webhook's name.</param>
/// <param name="Type">When it runs: pre-rollout, rollout, or another webhook type.</param>
/// <param name="Canary">The canary under test.</param>
/// <param name="Phase">The canary's phase.</param>
/// <param name="Checksum">The revision under test.</param>
/// <param name="Timeout">How long the test may take.</param>
/// <param name="Url">The webhook's URL.</param>
/// <param name="Metadata">The webhook's metadata; the command runner reads <c>type</c> and <c>cmd</c> from it.</param>
public sealed record TestGateRequest(
    string Name,
    WebhookType Type,
    CanaryId Canary,
    CanaryPhase Phase,
    string Checksum,
    TimeSpan Timeout,
    Uri Url,
    IReadOnlyDictionary<string, string> Metadata);
