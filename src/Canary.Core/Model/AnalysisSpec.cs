namespace Canary.Model;

/// <summary>How a canary is analysed and advanced: Flagger's <c>spec.analysis</c>.</summary>
public sealed record AnalysisSpec
{
    /// <summary>The default analysis interval: one minute.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    /// <summary>Gets the time between two analysis steps.</summary>
    /// <value>The default value is one minute.</value>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>Gets the number of failed checks in one run that rolls the canary back.</summary>
    /// <value>The default value is 1, which is what Flagger uses for a missing or non-positive threshold.</value>
    public int Threshold { get; init; } = 1;

    /// <summary>Gets the highest canary weight before promotion; <see langword="null"/> means 100, or the last of <see cref="StepWeights"/>.</summary>
    public int? MaxWeight { get; init; }

    /// <summary>Gets the weight added at each step, or <see langword="null"/>.</summary>
    public int? StepWeight { get; init; }

    /// <summary>Gets an explicit, increasing ladder of canary weights.</summary>
    public IReadOnlyList<int> StepWeights { get; init; } = [];

    /// <summary>Gets the primary weight added at each promotion step; <see langword="null"/> routes all traffic to the primary at once.</summary>
    public int? StepWeightPromotion { get; init; }

    /// <summary>Gets the number of iterations of an A/B test (with <see cref="Match"/>) or a blue/green rollout (without).</summary>
    public int? Iterations { get; init; }

    /// <summary>Gets the request matches that an A/B test sends to the canary.</summary>
    public IReadOnlyList<HttpMatch> Match { get; init; } = [];

    /// <summary>Gets a value indicating whether traffic is mirrored (shadowed) to the canary.</summary>
    public bool Mirror { get; init; }

    /// <summary>Gets the percentage of traffic mirrored to the canary, or <see langword="null"/> for all of it.</summary>
    public int? MirrorWeight { get; init; }

    /// <summary>Gets the checks that every analysis step runs.</summary>
    public IReadOnlyList<MetricCheck> Metrics { get; init; } = [];

    /// <summary>Gets the webhooks that gate and accompany the rollout.</summary>
    public IReadOnlyList<WebhookSpec> Webhooks { get; init; } = [];

    /// <summary>Gets the alerts sent for the canary's events.</summary>
    public IReadOnlyList<AlertSpec> Alerts { get; init; } = [];

    /// <summary>Gets the statistical judge that compares the canary with the baseline or the primary, or <see langword="null"/> for threshold metrics only.</summary>
    public JudgeSpec? Judge { get; init; }

    /// <summary>
    /// Gets a value indicating whether a <c>name-baseline</c> workload (the stable version at the canary's scale, with the
    /// canary's share of traffic) runs during each run and is the workload the judge compares the canary with, as in
    /// Kayenta and Azure Pipelines; it is removed once the run is decided.
    /// </summary>
    public bool Baseline { get; init; }

    /// <summary>Gets the rollout strategy the other fields select.</summary>
    public DeploymentStrategy Strategy =>
        Iterations is > 0 ? (Match.Count > 0 ? DeploymentStrategy.ABTesting : DeploymentStrategy.BlueGreen) : DeploymentStrategy.Canary;

    /// <summary>Gets the weight at which the canary is promoted.</summary>
    public int EffectiveMaxWeight => MaxWeight ?? (StepWeights.Count > 0 ? Math.Min(100, StepWeights[^1]) : 100);
}
