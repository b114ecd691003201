using Canary.Model;
using Canary.Statistics;

namespace Canary.Specs;

/// <summary>Maps a <c>Canary</c> document onto <see cref="CanaryResource"/>; unknown fields are ignored so that Flagger specs read unchanged.</summary>
internal static class CanaryDocumentMapper
{
    /// <summary>Stands for a missing <c>targetRef</c>, which the validator reports.</summary>
    private static readonly ObjectReference MissingReference = new(string.Empty, string.Empty, string.Empty);

    /// <summary>Stands for a missing or unreadable webhook URL, which the validator reports.</summary>
    private static readonly Uri MissingUrl = new(string.Empty, UriKind.Relative);

    public static CanaryResource Map(SpecNode document, CanaryId id)
    {
        var labels = document.GetMapping("metadata")?.GetStringMap("labels");
        var spec = document.GetMapping("spec");
        if (spec is null)
        {
            document.Report("spec", "is required");
        }

        return new CanaryResource(id, spec is null ? new CanarySpec { TargetRef = MissingReference } : MapSpec(spec))
        {
            Labels = labels ?? EmptyDictionary.Instance,
        };
    }

    private static CanarySpec MapSpec(SpecNode spec)
    {
        var analysis = spec.GetMapping("analysis") ?? spec.GetMapping("canaryAnalysis");
        if (analysis is null && !spec.Has("analysis") && !spec.Has("canaryAnalysis"))
        {
            spec.Report("analysis", "is required");
        }

        var defaults = new CanarySpec { TargetRef = MissingReference };
        return defaults with
        {
            TargetRef = spec.GetMapping("targetRef") is { } target ? MapReference(target) : MissingReference,
            IngressRef = spec.GetMapping("ingressRef") is { } ingress ? MapReference(ingress) : null,
            AutoscalerRef = spec.GetMapping("autoscalerRef") is { } autoscaler ? MapAutoscaler(autoscaler) : null,
            Service = spec.GetMapping("service") is { } service ? MapService(service) : defaults.Service,
            Provider = spec.GetString("provider"),
            ProgressDeadline = spec.GetInt("progressDeadlineSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.ProgressDeadline,
            SkipAnalysis = spec.GetBool("skipAnalysis") ?? false,
            Suspend = spec.GetBool("suspend") ?? false,
            Analysis = analysis is null ? defaults.Analysis : MapAnalysis(analysis),
        };
    }

    private static ObjectReference MapReference(SpecNode reference) =>
        new(reference.GetString("apiVersion") ?? string.Empty, reference.GetString("kind") ?? string.Empty, reference.GetString("name") ?? string.Empty);

    private static AutoscalerReference MapAutoscaler(SpecNode autoscaler)
    {
        var replicas = autoscaler.GetMapping("primaryScalerReplicas");
        return new AutoscalerReference(
            autoscaler.GetString("apiVersion") ?? string.Empty,
            autoscaler.GetString("kind") ?? string.Empty,
            autoscaler.GetString("name") ?? string.Empty)
        {
            PrimaryMinReplicas = replicas?.GetInt("minReplicas"),
            PrimaryMaxReplicas = replicas?.GetInt("maxReplicas"),
        };
    }

    private static ServiceSpec MapService(SpecNode service)
    {
        var defaults = new ServiceSpec();
        return defaults with
        {
            Name = service.GetString("name"),
            Port = service.GetInt("port") ?? defaults.Port,
            PortName = service.GetString("portName") ?? defaults.PortName,
            TargetPort = service.GetIntOrString("targetPort"),
            Hosts = service.GetStringList("hosts"),
            PreviewHost = service.GetString("previewHost"),
            GatewayRefs = [.. service.GetMappingList("gatewayRefs").Select(g => new GatewayReference(g.GetString("name") ?? string.Empty, g.GetString("namespace")))],
            Match = MapMatches(service),
        };
    }

    private static AnalysisSpec MapAnalysis(SpecNode analysis)
    {
        var defaults = new AnalysisSpec();
        return defaults with
        {
            Interval = analysis.GetDuration("interval") ?? defaults.Interval,
            Threshold = analysis.GetInt("threshold") ?? defaults.Threshold,
            MaxWeight = analysis.GetInt("maxWeight"),
            StepWeight = analysis.GetInt("stepWeight"),
            StepWeights = analysis.GetIntList("stepWeights"),
            StepWeightPromotion = analysis.GetInt("stepWeightPromotion"),
            Iterations = analysis.GetInt("iterations"),
            Match = MapMatches(analysis),
            Mirror = analysis.GetBool("mirror") ?? false,
            MirrorWeight = analysis.GetInt("mirrorWeight"),
            Metrics = [.. analysis.GetMappingList("metrics").Select(MapMetric)],
            Webhooks = [.. analysis.GetMappingList("webhooks").Select(MapWebhook)],
            Alerts = [.. analysis.GetMappingList("alerts").Select(MapAlert)],
            Judge = analysis.GetMapping("judge") is { } judge ? MapJudge(judge) : null,
            Baseline = analysis.GetBool("baseline") ?? false,
        };
    }

    private static JudgeSpec MapJudge(SpecNode judge)
    {
        var type = judge.GetEnum("type", SpecNames.JudgeTypes, "judge type");
        if (type is null && !judge.Has("type"))
        {
            judge.Report("type", "is required");
        }

        var defaults = new JudgeSpec();
        return defaults with
        {
            Type = type ?? defaults.Type,
            FalseRollbackRate = judge.GetNumber("falseRollbackRate") ?? defaults.FalseRollbackRate,
            FalsePromotionRate = judge.GetNumber("falsePromotionRate") ?? defaults.FalsePromotionRate,
            MaxErrorRatio = judge.GetNumber("maxErrorRatio") ?? defaults.MaxErrorRatio,
            MaxLatencyRatio = judge.GetNumber("maxLatencyRatio") ?? defaults.MaxLatencyRatio,
            LatencyQuantiles = judge.Has("latencyQuantiles") ? judge.GetNumberList("latencyQuantiles") : defaults.LatencyQuantiles,
            MinRequests = judge.GetLong("minRequests") ?? defaults.MinRequests,
            PromoteEarly = judge.GetBool("promoteEarly") ?? defaults.PromoteEarly,
            RequireAcceptance = judge.GetBool("requireAcceptance") ?? defaults.RequireAcceptance,
            LookInterval = judge.GetDuration("lookInterval"),
            ScoreThresholds = judge.GetMapping("scoreThresholds") is { } thresholds
                ? new KayentaScoreThresholds
                {
                    Pass = thresholds.GetNumber("pass") ?? defaults.ScoreThresholds.Pass,
                    Marginal = thresholds.GetNumber("marginal") ?? defaults.ScoreThresholds.Marginal,
                }
                : defaults.ScoreThresholds,
            LookbackIntervals = judge.GetInt("lookbackIntervals") ?? defaults.LookbackIntervals,
            MaxSlices = judge.GetInt("maxSlices") ?? defaults.MaxSlices,
            MinRequestsPerSample = judge.GetLong("minRequestsPerSample") ?? defaults.MinRequestsPerSample,
            MaxHoldIntervals = judge.GetInt("maxHoldIntervals") ?? defaults.MaxHoldIntervals,
            OnMarginal = judge.GetEnum("onMarginal", SpecNames.MarginalActions, "marginal action") ?? defaults.OnMarginal,
            Metrics = judge.Has("metrics") ? [.. judge.GetMappingList("metrics").Select(MapKayentaMetric)] : defaults.Metrics,
            GroupWeights = judge.GetMapping("groupWeights") is { } weights ? MapNumbers(weights) : defaults.GroupWeights,
        };
    }

    private static KayentaMetricSpec MapKayentaMetric(SpecNode metric)
    {
        var defaults = new KayentaMetricSpec { Name = string.Empty };
        var effect = metric.GetMapping("effectSize");
        var outliers = metric.GetMapping("outliers");
        return defaults with
        {
            Name = metric.GetRequiredString("name") ?? string.Empty,
            Direction = metric.GetEnum("direction", SpecNames.MetricDirections, "direction") ?? defaults.Direction,
            Critical = metric.GetBool("critical") ?? defaults.Critical,
            MustHaveData = metric.GetBool("mustHaveData") ?? defaults.MustHaveData,
            Muted = metric.GetBool("muted") ?? defaults.Muted,
            Groups = metric.GetStringList("groups"),
            EffectSize = effect is null
                ? defaults.EffectSize
                : new EffectSizeConfig
                {
                    Measure = effect.GetEnum("measure", SpecNames.EffectSizeMeasures, "effect-size measure") ?? defaults.EffectSize.Measure,
                    AllowedIncrease = effect.GetNumber("allowedIncrease"),
                    AllowedDecrease = effect.GetNumber("allowedDecrease"),
                    CriticalIncrease = effect.GetNumber("criticalIncrease"),
                    CriticalDecrease = effect.GetNumber("criticalDecrease"),
                },
            Outliers = outliers is null
                ? defaults.Outliers
                : new OutlierConfig
                {
                    Strategy = outliers.GetEnum("strategy", SpecNames.OutlierStrategies, "outlier strategy") ?? defaults.Outliers.Strategy,
                    Factor = outliers.GetNumber("outlierFactor") ?? defaults.Outliers.Factor,
                },
        };
    }

    private static Dictionary<string, double> MapNumbers(SpecNode map)
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in map.Keys)
        {
            if (map.GetNumber(key) is { } number)
            {
                numbers[key] = number;
            }
        }

        return numbers;
    }

    private static HttpMatch[] MapMatches(SpecNode parent) =>
        [.. parent.GetMappingList("match").Select(match => new HttpMatch
        {
            Headers = MapConditions(match.GetMapping("headers")),
            QueryParams = MapConditions(match.GetMapping("queryParams")),
        })];

    private static Dictionary<string, StringMatch> MapConditions(SpecNode? conditions)
    {
        var result = new Dictionary<string, StringMatch>(StringComparer.Ordinal);
        foreach (var (name, condition) in conditions?.GetMappingFields() ?? [])
        {
            if (MapStringMatch(condition) is { } match)
            {
                result[name] = match;
            }
        }

        return result;
    }

    private static StringMatch? MapStringMatch(SpecNode condition)
    {
        var given = SpecNames.StringMatchKinds.Where(kind => condition.Has(kind.Key)).ToList();
        var allowed = string.Join(", ", SpecNames.StringMatchKinds.Keys);
        switch (given.Count)
        {
            case 0:
                condition.Diagnostics.Report(condition.Path, $"needs one of {allowed}", condition.Line);
                return null;
            case > 1:
                condition.Diagnostics.Report(condition.Path, $"must have only one of {allowed}", condition.Line);
                return null;
            default:
                return condition.GetString(given[0].Key) is { } value ? new StringMatch(given[0].Value, value) : null;
        }
    }

    private static MetricCheck MapMetric(SpecNode metric)
    {
        var name = metric.GetString("name") ?? string.Empty;
        return new MetricCheck
        {
            Name = name,
            Interval = metric.GetDuration("interval"),
            ThresholdRange = MapThresholdRange(metric, name),
            TemplateRef = metric.GetMapping("templateRef") is { } template
                ? new TemplateReference(template.GetString("name") ?? string.Empty, template.GetString("namespace"))
                : null,
            TemplateVariables = metric.GetStringMap("templateVariables") ?? EmptyDictionary.Instance,
            NoData = metric.GetMapping("noData") is { } noData ? MapNoData(noData) : NoDataPolicy.Fail,
        };
    }

    private static ThresholdRange MapThresholdRange(SpecNode metric, string name)
    {
        if (metric.GetMapping("thresholdRange") is { } range)
        {
            return new ThresholdRange(range.GetNumber("min"), range.GetNumber("max"));
        }

        // Flagger's deprecated single threshold is a floor for the success rate and a ceiling for everything else.
        return metric.GetNumber("threshold") switch
        {
            null => new ThresholdRange(),
            var threshold when name == BuiltinMetrics.RequestSuccessRate => new ThresholdRange(Min: threshold),
            var threshold => new ThresholdRange(Max: threshold),
        };
    }

    private static NoDataPolicy MapNoData(SpecNode noData)
    {
        var action = noData.GetEnum("action", SpecNames.NoDataActions, "no-data action");
        if (action is null && !noData.Has("action"))
        {
            noData.Report("action", "is required");
        }

        return new NoDataPolicy(action ?? NoDataAction.Fail, noData.GetInt("maxHoldIntervals") ?? 0, noData.GetLong("minRequests") ?? 0);
    }

    private static WebhookSpec MapWebhook(SpecNode webhook) => new()
    {
        Name = webhook.GetString("name") ?? string.Empty,

        // Flagger runs a webhook with an empty type as a rollout hook.
        Type = webhook.GetString("type") is "" ? WebhookType.Rollout : webhook.GetEnum("type", SpecNames.WebhookTypes, "webhook type") ?? WebhookType.Rollout,
        Url = webhook.GetUri("url") ?? MissingUrl,
        Timeout = webhook.GetDuration("timeout") ?? WebhookSpec.DefaultTimeout,
        Retries = webhook.GetInt("retries") ?? 0,
        MuteAlert = webhook.GetBool("muteAlert") ?? false,
        Metadata = webhook.GetStringMap("metadata") ?? EmptyDictionary.Instance,
    };

    private static AlertSpec MapAlert(SpecNode alert)
    {
        var provider = alert.GetMapping("providerRef");
        return new AlertSpec(
            alert.GetString("name") ?? string.Empty,
            alert.GetEnum("severity", SpecNames.AlertSeverities, "severity") ?? AlertSeverity.Info,
            new ProviderReference(provider?.GetString("name") ?? string.Empty, provider?.GetString("namespace")));
    }
}
