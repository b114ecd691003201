using Canary.Gates;
using System.Globalization;
using Canary.Model;
using Canary.Specs;
using Canary.Statistics;

namespace Canary.Validation;

/// <summary>
/// Checks canaries and metric templates for what Flagger would reject or what could never roll out,
/// returning every problem with its field path (<c>spec.analysis.stepWeight</c>) instead of throwing.
/// </summary>
public static class CanarySpecValidator
{
    private const string Analysis = "spec.analysis";

    private static readonly string[] MetricProviderTypes = ["prometheus", "datadog", "newrelic", "graphite", "cloudwatch"];

    /// <summary>Validates every canary and metric template of a manifest, and that no two share a name and namespace.</summary>
    /// <param name="manifest">The manifest; its templates are the ones the canaries' <c>templateRef</c>s may name.</param>
    /// <returns>
    /// Every error. When the manifest holds more than one canary, a canary's paths start with <c>name: </c>;
    /// when it holds more than one resource, so do a template's.
    /// </returns>
    public static IReadOnlyList<ValidationError> Validate(CanaryManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var errors = new List<ValidationError>();
        var prefixCanaries = manifest.Canaries.Count > 1;
        var prefixTemplates = manifest.Canaries.Count + manifest.MetricTemplates.Count > 1;

        var canaryIds = new HashSet<CanaryId>();
        foreach (var canary in manifest.Canaries)
        {
            var prefix = prefixCanaries ? canary.Id.Name + ": " : string.Empty;
            if (!canaryIds.Add(canary.Id))
            {
                errors.Add(new(prefix + "metadata.name", $"duplicate Canary \"{canary.Id.Name}\" in namespace \"{canary.Id.Namespace}\""));
            }

            errors.AddRange(Validate(canary, manifest.MetricTemplates).Select(e => e with { Path = prefix + e.Path }));
        }

        var templateIds = new HashSet<(string, string)>();
        foreach (var template in manifest.MetricTemplates)
        {
            var prefix = prefixTemplates ? template.Name + ": " : string.Empty;
            if (!templateIds.Add((template.Name, template.Namespace)))
            {
                errors.Add(new(prefix + "metadata.name", $"duplicate MetricTemplate \"{template.Name}\" in namespace \"{template.Namespace}\""));
            }

            errors.AddRange(Validate(template).Select(e => e with { Path = prefix + e.Path }));
        }

        return errors;
    }

    /// <summary>Validates one canary.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="templates">The metric templates its checks' <c>templateRef</c>s may name.</param>
    /// <returns>Every error, with paths from the canary document (<c>spec.…</c>).</returns>
    public static IReadOnlyList<ValidationError> Validate(CanaryResource canary, IReadOnlyCollection<MetricTemplate> templates)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(templates);
        var errors = new List<ValidationError>();
        var spec = canary.Spec;
        ValidateTarget(spec, errors);
        ValidateProvider(spec, errors);

        if (spec.Service.Port == 0)
        {
            errors.Add(new("spec.service.port", "is required"));
        }
        else
        {
            CheckRange(errors, "spec.service.port", spec.Service.Port, 1, 65535);
        }

        if (spec.ProgressDeadline < TimeSpan.FromSeconds(1))
        {
            errors.Add(new("spec.progressDeadlineSeconds", "must be at least 1"));
        }

        ValidateSchedule(spec, errors);
        ValidateMetrics(canary, templates, errors);
        ValidateWebhooks(spec.Analysis, errors);
        ValidateAlerts(spec.Analysis, errors);
        ValidateJudge(spec.Analysis.Judge, errors);
        ValidateKayentaJudge(spec.Analysis, errors);
        return errors;
    }

    /// <summary>Validates one metric template.</summary>
    /// <param name="template">The template.</param>
    /// <returns>Every error, with paths from the template document (<c>spec.…</c>).</returns>
    public static IReadOnlyList<ValidationError> Validate(MetricTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(template.Query))
        {
            errors.Add(new("spec.query", "is required"));
        }

        if (!MetricProviderTypes.Contains(template.Provider.Type, StringComparer.Ordinal))
        {
            errors.Add(new(
                "spec.provider.type",
                $"\"{template.Provider.Type}\" is not a supported metric provider (supported: {string.Join(", ", MetricProviderTypes)})"));
        }

        if (template.Provider.Address is { } address && !IsHttpUrl(address))
        {
            errors.Add(new("spec.provider.address", $"must be an absolute http or https URL (got \"{address.OriginalString}\")"));
        }

        return errors;
    }

    private static void ValidateTarget(CanarySpec spec, List<ValidationError> errors)
    {
        var target = spec.TargetRef;
        if (target is null || (target.Name.Length == 0 && target.Kind.Length == 0 && target.ApiVersion.Length == 0))
        {
            errors.Add(new("spec.targetRef", "is required"));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(target.Name))
            {
                errors.Add(new("spec.targetRef.name", "is required"));
            }

            if (string.IsNullOrWhiteSpace(target.Kind))
            {
                errors.Add(new("spec.targetRef.kind", "is required"));
            }
            else if (target.Kind != "Deployment")
            {
                errors.Add(new("spec.targetRef.kind", $"must be Deployment (got \"{target.Kind}\")"));
            }
        }

        if (spec.IngressRef is { } ingress && string.IsNullOrWhiteSpace(ingress.Name))
        {
            errors.Add(new("spec.ingressRef.name", "is required"));
        }

        if (spec.AutoscalerRef is { } autoscaler && string.IsNullOrWhiteSpace(autoscaler.Name))
        {
            errors.Add(new("spec.autoscalerRef.name", "is required"));
        }
    }

    private static void ValidateProvider(CanarySpec spec, List<ValidationError> errors)
    {
        if (spec.Provider is not { } provider)
        {
            return;
        }

        if (!TrafficProviders.IsKnown(provider))
        {
            errors.Add(new("spec.provider", $"\"{provider}\" is not a known provider (known: {string.Join(", ", TrafficProviders.All)})"));
            return;
        }

        var baseName = TrafficProviders.BaseName(provider);
        if (baseName == TrafficProviders.Nginx && spec.IngressRef is null)
        {
            errors.Add(new("spec.ingressRef", $"is required by provider \"{provider}\""));
        }

        // Without a router that can split by request, a match would be silently ignored. A TraefikService and an SMI
        // TrafficSplit only weigh backends; the request matching is the user's IngressRoute's or mesh's business.
        if (spec.Analysis.Match.Count > 0 &&
            baseName is TrafficProviders.LabelRatio or TrafficProviders.Kubernetes or TrafficProviders.Traefik or TrafficProviders.Smi)
        {
            errors.Add(new($"{Analysis}.match", $"A/B testing is not supported by provider \"{provider}\""));
        }

        // Only Gateway API's RequestMirror filter and Traefik's mirroring service can shadow traffic here.
        if (spec.Analysis.Mirror && baseName is not (TrafficProviders.GatewayApi or TrafficProviders.Traefik))
        {
            errors.Add(new($"{Analysis}.mirror", $"provider \"{provider}\" cannot mirror traffic"));
        }

        // A baseline gets users' traffic only where the apex Service selects its pods as it selects the canary's.
        if (spec.Analysis.Baseline && baseName != TrafficProviders.LabelRatio)
        {
            errors.Add(new($"{Analysis}.baseline",
                $"provider \"{provider}\" cannot route traffic to a baseline workload; use provider {TrafficProviders.LabelRatio}, or set analysis.baseline to false"));
        }

        // Flagger's kubernetes provider never splits traffic: the canary is tested through its own Service, then promoted.
        if (baseName == TrafficProviders.Kubernetes && spec.Analysis.Iterations is null && !spec.SkipAnalysis
            && (spec.Analysis.StepWeight is not null || spec.Analysis.StepWeights.Count > 0))
        {
            errors.Add(new($"{Analysis}.stepWeight",
                $"provider \"{provider}\" cannot shift traffic by weight; use iterations (blue/green), or provider label-ratio for a replica-ratio split"));
        }
    }

    private static void ValidateSchedule(CanarySpec spec, List<ValidationError> errors)
    {
        var analysis = spec.Analysis;
        if (analysis.Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add(new($"{Analysis}.interval", $"must be at least 1s (got {GoDuration.Format(analysis.Interval)})"));
        }

        CheckAtLeast(errors, $"{Analysis}.threshold", analysis.Threshold, 1);
        var maxWeightValid = CheckRange(errors, $"{Analysis}.maxWeight", analysis.MaxWeight, 1, 100);
        if (CheckRange(errors, $"{Analysis}.stepWeight", analysis.StepWeight, 1, 100) && maxWeightValid && analysis.StepWeight > analysis.MaxWeight)
        {
            errors.Add(new($"{Analysis}.stepWeight", $"must not be greater than maxWeight ({analysis.MaxWeight})"));
        }

        for (var i = 0; i < analysis.StepWeights.Count; i++)
        {
            var path = $"{Analysis}.stepWeights[{i}]";
            if (CheckRange(errors, path, analysis.StepWeights[i], 1, 100) && i > 0 && analysis.StepWeights[i] <= analysis.StepWeights[i - 1])
            {
                errors.Add(new(path, $"must be increasing ({analysis.StepWeights[i]} follows {analysis.StepWeights[i - 1]})"));
            }
        }

        CheckRange(errors, $"{Analysis}.stepWeightPromotion", analysis.StepWeightPromotion, 1, 100);

        if (analysis.Iterations is { } iterations)
        {
            CheckAtLeast(errors, $"{Analysis}.iterations", iterations, 1);
            if (analysis.StepWeight is not null || analysis.StepWeights.Count > 0)
            {
                var other = analysis.StepWeight is not null ? "stepWeight" : "stepWeights";
                errors.Add(new($"{Analysis}.iterations", $"cannot be combined with {other}"));
            }
        }
        else
        {
            if (analysis.Match.Count > 0)
            {
                errors.Add(new($"{Analysis}.match", "requires iterations (A/B testing)"));
            }

            if (analysis.StepWeight is null && analysis.StepWeights.Count == 0 && !spec.SkipAnalysis)
            {
                errors.Add(new(Analysis, "needs stepWeight or stepWeights to advance the canary, or iterations for A/B testing and blue/green"));
            }
        }

        if (analysis.MirrorWeight is { } mirrorWeight)
        {
            CheckRange(errors, $"{Analysis}.mirrorWeight", mirrorWeight, 1, 100);
            if (!analysis.Mirror)
            {
                errors.Add(new($"{Analysis}.mirrorWeight", "requires mirror: true"));
            }
        }
    }

    private static void ValidateMetrics(CanaryResource canary, IReadOnlyCollection<MetricTemplate> templates, List<ValidationError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var metrics = canary.Spec.Analysis.Metrics;
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            var path = $"{Analysis}.metrics[{i}]";
            if (string.IsNullOrWhiteSpace(metric.Name))
            {
                errors.Add(new($"{path}.name", "is required"));
            }
            else if (!names.Add(metric.Name))
            {
                errors.Add(new($"{path}.name", $"duplicate metric name \"{metric.Name}\""));
            }

            ValidateTemplateRef(canary, metric, path, templates, errors);

            if (metric.Interval is { } interval && interval < TimeSpan.FromSeconds(1))
            {
                errors.Add(new($"{path}.interval", $"must be at least 1s (got {GoDuration.Format(interval)})"));
            }

            if (metric.ThresholdRange is not { Min: not null } and not { Max: not null })
            {
                errors.Add(new($"{path}.thresholdRange", "needs min or max"));
            }
            else if (metric.ThresholdRange is { Min: { } min, Max: { } max } && min > max)
            {
                errors.Add(new($"{path}.thresholdRange", $"min ({Number(min)}) is greater than max ({Number(max)})"));
            }

            ValidateNoData(metric.NoData, $"{path}.noData", errors);
        }
    }

    private static void ValidateTemplateRef(
        CanaryResource canary, MetricCheck metric, string path, IReadOnlyCollection<MetricTemplate> templates, List<ValidationError> errors)
    {
        if (metric.TemplateRef is not { } reference)
        {
            if (!string.IsNullOrWhiteSpace(metric.Name) && !BuiltinMetrics.IsBuiltin(metric.Name))
            {
                errors.Add(new(path, $"metric \"{metric.Name}\" is not builtin and has no templateRef"));
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(reference.Name))
        {
            errors.Add(new($"{path}.templateRef.name", "is required"));
            return;
        }

        var templateNamespace = reference.Namespace ?? canary.Id.Namespace;
        if (!templates.Any(t => t.Name == reference.Name && t.Namespace == templateNamespace))
        {
            errors.Add(new($"{path}.templateRef", $"no MetricTemplate \"{reference.Name}\" in namespace \"{templateNamespace}\""));
        }
    }

    private static void ValidateNoData(NoDataPolicy? noData, string path, List<ValidationError> errors)
    {
        if (noData is null)
        {
            return;
        }

        if (!Enum.IsDefined(noData.Action))
        {
            errors.Add(new($"{path}.action", "is not a known no-data action (known: fail, hold)"));
        }

        if (noData.Action == NoDataAction.Hold && noData.MaxHoldIntervals < 1)
        {
            errors.Add(new($"{path}.maxHoldIntervals", "must be at least 1 when action is hold"));
        }

        if (noData.MinRequests < 0)
        {
            errors.Add(new($"{path}.minRequests", "must not be negative"));
        }
    }

    private static void ValidateWebhooks(AnalysisSpec analysis, List<ValidationError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < analysis.Webhooks.Count; i++)
        {
            var webhook = analysis.Webhooks[i];
            var path = $"{Analysis}.webhooks[{i}]";
            if (string.IsNullOrWhiteSpace(webhook.Name))
            {
                errors.Add(new($"{path}.name", "is required"));
            }
            else if (!names.Add(webhook.Name))
            {
                errors.Add(new($"{path}.name", $"duplicate webhook name \"{webhook.Name}\""));
            }

            if (webhook.Url is null || webhook.Url.OriginalString.Length == 0)
            {
                errors.Add(new($"{path}.url", "is required"));
            }
            else if (WebhookSchemes.IsApprovalGate(webhook) || WebhookSchemes.IsTestGate(webhook))
            {
                // Answered on the host: an approval gate (confirm hooks only) or a local test command.
            }
            else if (webhook.Url.IsAbsoluteUri && webhook.Url.Scheme == WebhookSchemes.Approval)
            {
                errors.Add(new($"{path}.url", "an approval:// gate is only allowed on confirm-rollout and confirm-promotion webhooks"));
            }
            else if (!IsHttpUrl(webhook.Url))
            {
                errors.Add(new($"{path}.url", $"must be an absolute http, https, approval:// or exec:// URL (got \"{webhook.Url.OriginalString}\")"));
            }

            if (!Enum.IsDefined(webhook.Type))
            {
                errors.Add(new($"{path}.type", $"is not a known webhook type (known: {string.Join(", ", SpecNames.WebhookTypes.Keys)})"));
            }

            if (webhook.Timeout <= TimeSpan.Zero)
            {
                errors.Add(new($"{path}.timeout", "must be greater than 0"));
            }

            if (webhook.Retries < 0)
            {
                errors.Add(new($"{path}.retries", "must not be negative"));
            }
        }
    }

    private static void ValidateAlerts(AnalysisSpec analysis, List<ValidationError> errors)
    {
        for (var i = 0; i < analysis.Alerts.Count; i++)
        {
            var alert = analysis.Alerts[i];
            var path = $"{Analysis}.alerts[{i}]";
            if (!Enum.IsDefined(alert.Severity))
            {
                errors.Add(new($"{path}.severity", $"is not a known severity (known: {string.Join(", ", SpecNames.AlertSeverities.Keys)})"));
            }

            if (string.IsNullOrWhiteSpace(alert.ProviderRef?.Name))
            {
                errors.Add(new($"{path}.providerRef.name", "is required"));
            }
        }
    }

    private static void ValidateJudge(JudgeSpec? judge, List<ValidationError> errors)
    {
        if (judge is null)
        {
            return;
        }

        const string Path = $"{Analysis}.judge";
        if (!Enum.IsDefined(judge.Type))
        {
            errors.Add(new($"{Path}.type", $"is not a known judge type (known: {string.Join(", ", SpecNames.JudgeTypes.Keys)})"));
        }

        CheckProbability(errors, $"{Path}.falseRollbackRate", judge.FalseRollbackRate);
        CheckProbability(errors, $"{Path}.falsePromotionRate", judge.FalsePromotionRate);
        CheckRatio(errors, $"{Path}.maxErrorRatio", judge.MaxErrorRatio);
        CheckRatio(errors, $"{Path}.maxLatencyRatio", judge.MaxLatencyRatio);
        var quantiles = judge.LatencyQuantiles ?? [];
        for (var i = 0; i < quantiles.Count; i++)
        {
            if (!(quantiles[i] > 0 && quantiles[i] < 1))
            {
                errors.Add(new($"{Path}.latencyQuantiles[{i}]", $"must be strictly between 0 and 1 (got {Number(quantiles[i])})"));
            }
            else if (quantiles.Take(i).Contains(quantiles[i]))
            {
                errors.Add(new($"{Path}.latencyQuantiles[{i}]", $"repeats quantile {Number(quantiles[i])}"));
            }
        }

        if (judge.MinRequests < 0)
        {
            errors.Add(new($"{Path}.minRequests", "must not be negative"));
        }

        if (judge.LookInterval < TimeSpan.Zero)
        {
            errors.Add(new($"{Path}.lookInterval", "must not be negative"));
        }
    }

    /// <summary>The fewest samples per side at which Kayenta's rank-sum test at 98% confidence can find any difference; the engine holds a window with fewer.</summary>
    private const int MinKayentaSlicesPerWindow = Engine.KayentaSampler.MinSlicesPerWindow;

    private static void ValidateKayentaJudge(AnalysisSpec analysis, List<ValidationError> errors)
    {
        if (analysis.Judge is not { Type: JudgeType.Kayenta } judge)
        {
            return;
        }

        const string Path = $"{Analysis}.judge";
        var thresholds = judge.ScoreThresholds ?? new KayentaScoreThresholds();
        var passValid = CheckScore(errors, $"{Path}.scoreThresholds.pass", thresholds.Pass);
        if (CheckScore(errors, $"{Path}.scoreThresholds.marginal", thresholds.Marginal) && passValid && thresholds.Marginal > thresholds.Pass)
        {
            errors.Add(new($"{Path}.scoreThresholds.marginal", $"must not exceed scoreThresholds.pass ({Number(thresholds.Marginal)} > {Number(thresholds.Pass)})"));
        }

        if (judge.LookbackIntervals < 0)
        {
            errors.Add(new($"{Path}.lookbackIntervals", "must not be negative (0 judges every slice kept since the run started)"));
        }

        var slices = judge.LookbackIntervals * (analysis.Interval.Ticks / Math.Max(1, judge.LookIntervalFor(analysis.Interval).Ticks));
        if (CheckRange(errors, $"{Path}.maxSlices", judge.MaxSlices, 1, 1000) && judge.MaxSlices < slices)
        {
            errors.Add(new($"{Path}.maxSlices", $"keeps fewer slices than a judged window of {judge.LookbackIntervals} interval(s) holds ({judge.MaxSlices} < {slices})"));
        }

        if (judge.MinRequestsPerSample < 1)
        {
            errors.Add(new($"{Path}.minRequestsPerSample", $"must be at least 1 (got {judge.MinRequestsPerSample})"));
        }

        if (judge.MaxHoldIntervals < 0)
        {
            errors.Add(new($"{Path}.maxHoldIntervals", $"must not be negative (got {judge.MaxHoldIntervals}; 0 never holds)"));
        }

        if (!Enum.IsDefined(judge.OnMarginal))
        {
            errors.Add(new($"{Path}.onMarginal", $"is not a known marginal action (known: {string.Join(", ", SpecNames.MarginalActions.Keys)})"));
        }

        if (judge.LookbackIntervals > 0 && analysis.Interval > TimeSpan.Zero && slices < MinKayentaSlicesPerWindow)
        {
            errors.Add(new($"{Path}.lookInterval",
                $"gives {slices} slice(s) per judged window of {judge.LookbackIntervals} interval(s); the rank-sum test needs at least {MinKayentaSlicesPerWindow} per side to find any difference: shorten lookInterval or raise lookbackIntervals"));
        }

        var metrics = judge.Metrics ?? [];
        if (metrics.Count == 0)
        {
            errors.Add(new($"{Path}.metrics", "must list at least one metric"));
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            ValidateKayentaMetric(metrics[i], $"{Path}.metrics[{i}]", metrics.Take(i).Any(m => m.Name == metrics[i].Name), errors);
        }

        var groups = metrics.SelectMany(m => m.Groups is { Count: > 0 } named ? named : [CanaryJudge.DefaultGroup]).ToHashSet(StringComparer.Ordinal);
        var weights = judge.GroupWeights ?? new Dictionary<string, double>();
        foreach (var (group, weight) in weights)
        {
            if (!(weight >= 0 && weight <= 100))
            {
                errors.Add(new($"{Path}.groupWeights.{group}", $"must be between 0 and 100 (got {Number(weight)})"));
            }
            else if (!groups.Contains(group))
            {
                errors.Add(new($"{Path}.groupWeights.{group}", $"names no group of the judge's metrics (groups: {string.Join(", ", groups.Order(StringComparer.Ordinal))})"));
            }
        }

        if (weights.Values.All(w => w >= 0 && w <= 100) && weights.Values.Sum() is var total && total > 100 + 1e-9)
        {
            errors.Add(new($"{Path}.groupWeights", $"must total at most 100 (got {Number(total)})"));
        }
    }

    private static void ValidateKayentaMetric(KayentaMetricSpec metric, string path, bool repeated, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(metric.Name))
        {
            errors.Add(new($"{path}.name", "is required"));
        }
        else if (!KayentaMetricSpec.TryParse(metric.Name, out _))
        {
            errors.Add(new($"{path}.name",
                $"\"{metric.Name}\" is not a known metric (known: {KayentaMetricSpec.ErrorRate}, or {KayentaMetricSpec.LatencyPrefix}Q for a latency quantile in percent, such as {KayentaMetricSpec.LatencyPrefix}99)"));
        }
        else if (repeated)
        {
            errors.Add(new($"{path}.name", $"repeats metric {metric.Name}"));
        }

        if (!Enum.IsDefined(metric.Direction))
        {
            errors.Add(new($"{path}.direction", $"is not a known direction (known: {string.Join(", ", SpecNames.MetricDirections.Keys)})"));
        }

        var effect = metric.EffectSize ?? new EffectSizeConfig();
        foreach (var (field, value, increase) in new[]
                 {
                     ("allowedIncrease", effect.AllowedIncrease, true),
                     ("allowedDecrease", effect.AllowedDecrease, false),
                     ("criticalIncrease", effect.CriticalIncrease, true),
                     ("criticalDecrease", effect.CriticalDecrease, false),
                 })
        {
            if (value is not { } given)
            {
                continue;
            }

            var (valid, expected) = effect.Measure == EffectSizeMeasure.Cles
                ? (given >= 0 && given <= 1, "a probability between 0 and 1 for measure cles")
                : increase
                    ? (given >= 1 && double.IsFinite(given), "a ratio of at least 1 for measure meanRatio")
                    : (given >= 0 && given <= 1, "a ratio between 0 and 1 for measure meanRatio");
            if (!valid)
            {
                errors.Add(new($"{path}.effectSize.{field}", $"must be {expected} (got {Number(given)})"));
            }
        }

        if (metric.Outliers is { } outliers && !(outliers.Factor > 0 && double.IsFinite(outliers.Factor)))
        {
            errors.Add(new($"{path}.outliers.outlierFactor", $"must be greater than 0 (got {Number(outliers.Factor)})"));
        }
    }

    private static bool CheckScore(List<ValidationError> errors, string path, double value)
    {
        if (value >= 0 && value <= 100)
        {
            return true;
        }

        errors.Add(new(path, $"must be between 0 and 100 (got {Number(value)})"));
        return false;
    }

    private static void CheckProbability(List<ValidationError> errors, string path, double value)
    {
        if (!(value > 0 && value < 1))
        {
            errors.Add(new(path, $"must be strictly between 0 and 1 (got {Number(value)})"));
        }
    }

    private static void CheckRatio(List<ValidationError> errors, string path, double value)
    {
        if (!(value >= 1 && double.IsFinite(value)))
        {
            errors.Add(new(path, $"must be a ratio of at least 1 (got {Number(value)})"));
        }
    }

    private static bool CheckRange(List<ValidationError> errors, string path, int? value, int min, int max)
    {
        if (value is null)
        {
            return false;
        }

        if (value < min || value > max)
        {
            errors.Add(new(path, $"must be between {min} and {max}"));
            return false;
        }

        return true;
    }

    private static void CheckAtLeast(List<ValidationError> errors, string path, int value, int min)
    {
        if (value < min)
        {
            errors.Add(new(path, $"must be at least {min}"));
        }
    }

    private static bool IsHttpUrl(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
