using Canary.Model;
using Canary.Statistics;

namespace Canary.Specs;

/// <summary>The kinds, API versions and enum spellings that spec documents use.</summary>
internal static class SpecNames
{
    public const string CanaryKind = "Canary";
    public const string MetricTemplateKind = "MetricTemplate";
    public const string ListKind = "List";

    /// <summary>Gets the API versions read; both groups share Flagger's schema.</summary>
    public static IReadOnlyList<string> ApiVersions { get; } = ["flagger.app/v1beta1", "canary.dev/v1"];

    /// <summary>Gets the API groups whose other versions are reported rather than skipped.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["flagger.app", "canary.dev"];

    /// <summary>Gets Flagger's webhook type spellings; an empty type is <see cref="WebhookType.Rollout"/>.</summary>
    public static IReadOnlyDictionary<string, WebhookType> WebhookTypes { get; } = new Dictionary<string, WebhookType>(StringComparer.Ordinal)
    {
        ["confirm-rollout"] = WebhookType.ConfirmRollout,
        ["pre-rollout"] = WebhookType.PreRollout,
        ["rollout"] = WebhookType.Rollout,
        ["confirm-traffic-increase"] = WebhookType.ConfirmTrafficIncrease,
        ["confirm-promotion"] = WebhookType.ConfirmPromotion,
        ["post-rollout"] = WebhookType.PostRollout,
        ["rollback"] = WebhookType.Rollback,
        ["event"] = WebhookType.Event,
    };

    /// <summary>Gets the alert severities.</summary>
    public static IReadOnlyDictionary<string, AlertSeverity> AlertSeverities { get; } = new Dictionary<string, AlertSeverity>(StringComparer.Ordinal)
    {
        ["info"] = AlertSeverity.Info,
        ["warn"] = AlertSeverity.Warn,
        ["error"] = AlertSeverity.Error,
    };

    /// <summary>Gets the no-data actions of our <c>noData</c> extension.</summary>
    public static IReadOnlyDictionary<string, NoDataAction> NoDataActions { get; } = new Dictionary<string, NoDataAction>(StringComparer.Ordinal)
    {
        ["fail"] = NoDataAction.Fail,
        ["hold"] = NoDataAction.Hold,
    };

    /// <summary>Gets the judge types of our <c>judge</c> extension.</summary>
    public static IReadOnlyDictionary<string, JudgeType> JudgeTypes { get; } = new Dictionary<string, JudgeType>(StringComparer.Ordinal)
    {
        ["sequential"] = JudgeType.Sequential,
        ["kayenta"] = JudgeType.Kayenta,
    };

    /// <summary>Gets the directions of a Kayenta judge's metric, as Kayenta's canary config spells them.</summary>
    public static IReadOnlyDictionary<string, MetricDirection> MetricDirections { get; } = new Dictionary<string, MetricDirection>(StringComparer.Ordinal)
    {
        ["increase"] = MetricDirection.Increase,
        ["decrease"] = MetricDirection.Decrease,
        ["either"] = MetricDirection.Either,
    };

    /// <summary>Gets the effect-size measures, as Kayenta's canary config spells them.</summary>
    public static IReadOnlyDictionary<string, EffectSizeMeasure> EffectSizeMeasures { get; } = new Dictionary<string, EffectSizeMeasure>(StringComparer.Ordinal)
    {
        ["meanRatio"] = EffectSizeMeasure.MeanRatio,
        ["cles"] = EffectSizeMeasure.Cles,
    };

    /// <summary>Gets the outlier strategies, as Kayenta's canary config spells them.</summary>
    public static IReadOnlyDictionary<string, OutlierStrategy> OutlierStrategies { get; } = new Dictionary<string, OutlierStrategy>(StringComparer.Ordinal)
    {
        ["keep"] = OutlierStrategy.Keep,
        ["remove"] = OutlierStrategy.Remove,
    };

    /// <summary>Gets what a marginal Kayenta judgement does.</summary>
    public static IReadOnlyDictionary<string, MarginalAction> MarginalActions { get; } = new Dictionary<string, MarginalAction>(StringComparer.Ordinal)
    {
        ["fail"] = MarginalAction.Fail,
        ["pause"] = MarginalAction.Pause,
    };

    /// <summary>Gets the keys of a string match, as Flagger and Istio write them.</summary>
    public static IReadOnlyDictionary<string, StringMatchKind> StringMatchKinds { get; } = new Dictionary<string, StringMatchKind>(StringComparer.Ordinal)
    {
        ["exact"] = StringMatchKind.Exact,
        ["prefix"] = StringMatchKind.Prefix,
        ["suffix"] = StringMatchKind.Suffix,
        ["regex"] = StringMatchKind.Regex,
    };
}
