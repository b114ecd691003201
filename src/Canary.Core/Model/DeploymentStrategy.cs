namespace Canary.Model;

/// <summary>The rollout strategies; the analysis spec's fields select one.</summary>
public enum DeploymentStrategy
{
    /// <summary>Progressive traffic shifting by <c>stepWeight</c> or <c>stepWeights</c> up to <c>maxWeight</c>.</summary>
    Canary,

    /// <summary>Iterations during which only requests that match go to the canary.</summary>
    ABTesting,

    /// <summary>Iterations of analysis (optionally with mirrored traffic), then a switch of all traffic.</summary>
    BlueGreen,
}
