using Canary.Model;
using Canary.Validation;

namespace Canary.Core.Tests.Validation;

public sealed class CanarySpecValidatorTests
{
    [Fact]
    public void Validate_ValidCanary_ReturnsNoErrors()
    {
        var errors = CanarySpecValidator.Validate(ValidCanary.Resource, ValidCanary.Templates);

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Validate_MissingTargetRef_ReportsIt()
    {
        var canary = ValidCanary.With(s => s with { TargetRef = new ObjectReference(string.Empty, string.Empty, string.Empty) });

        ShouldReportOnly(canary, "spec.targetRef", "is required");
    }

    [Fact]
    public void Validate_TargetRefWithoutName_ReportsName()
    {
        var canary = ValidCanary.With(s => s with { TargetRef = new ObjectReference("apps/v1", "Deployment", string.Empty) });

        ShouldReportOnly(canary, "spec.targetRef.name", "is required");
    }

    [Fact]
    public void Validate_TargetRefWithoutKind_ReportsKind()
    {
        var canary = ValidCanary.With(s => s with { TargetRef = new ObjectReference("apps/v1", string.Empty, "podinfo") });

        ShouldReportOnly(canary, "spec.targetRef.kind", "is required");
    }

    [Fact]
    public void Validate_TargetRefNotADeployment_ReportsKind()
    {
        var canary = ValidCanary.With(s => s with { TargetRef = new ObjectReference("apps/v1", "DaemonSet", "podinfo") });

        ShouldReportOnly(canary, "spec.targetRef.kind", "must be Deployment (got \"DaemonSet\")");
    }

    [Fact]
    public void Validate_IngressRefWithoutName_ReportsName()
    {
        var canary = ValidCanary.With(s => s with { IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", string.Empty) });

        ShouldReportOnly(canary, "spec.ingressRef.name", "is required");
    }

    [Fact]
    public void Validate_AutoscalerRefWithoutName_ReportsName()
    {
        var canary = ValidCanary.With(s => s with { AutoscalerRef = new AutoscalerReference("autoscaling/v2", "HorizontalPodAutoscaler", string.Empty) });

        ShouldReportOnly(canary, "spec.autoscalerRef.name", "is required");
    }

    [Fact]
    public void Validate_UnknownProvider_ListsKnownOnes()
    {
        var canary = ValidCanary.With(s => s with { Provider = "istio" });

        ShouldReportOnly(canary, "spec.provider", "\"istio\" is not a known provider (known: label-ratio, kubernetes, nginx, traefik, linkerd, smi, gatewayapi)");
    }

    [Theory]
    [InlineData("smi:v1alpha2")]
    [InlineData("gatewayapi:v1beta1")]
    [InlineData("gatewayapi:v1")]
    public void Validate_ProviderWithVersionSuffix_IsAccepted(string provider)
    {
        var canary = ValidCanary.With(s => s with { Provider = provider });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Fact]
    public void Validate_NginxWithoutIngressRef_ReportsIngressRef()
    {
        var canary = ValidCanary.With(s => s with { Provider = TrafficProviders.Nginx });

        ShouldReportOnly(canary, "spec.ingressRef", "is required by provider \"nginx\"");
    }

    [Fact]
    public void Validate_MissingServicePort_ReportsIt()
    {
        var canary = ValidCanary.With(s => s with { Service = new ServiceSpec() });

        ShouldReportOnly(canary, "spec.service.port", "is required");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_ServicePortOutOfRange_ReportsRange(int port)
    {
        var canary = ValidCanary.With(s => s with { Service = new ServiceSpec { Port = port } });

        ShouldReportOnly(canary, "spec.service.port", "must be between 1 and 65535");
    }

    [Fact]
    public void Validate_ZeroProgressDeadline_ReportsIt()
    {
        var canary = ValidCanary.With(s => s with { ProgressDeadline = TimeSpan.Zero });

        ShouldReportOnly(canary, "spec.progressDeadlineSeconds", "must be at least 1");
    }

    [Fact]
    public void Validate_IntervalUnderOneSecond_SaysWhatItGot()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Interval = TimeSpan.FromMilliseconds(500) });

        ShouldReportOnly(canary, "spec.analysis.interval", "must be at least 1s (got 500ms)");
    }

    [Fact]
    public void Validate_ZeroThreshold_ReportsIt()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Threshold = 0 });

        ShouldReportOnly(canary, "spec.analysis.threshold", "must be at least 1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_MaxWeightOutOfRange_ReportsRange(int maxWeight)
    {
        var canary = ValidCanary.WithAnalysis(a => a with { MaxWeight = maxWeight, StepWeight = 1 });

        ShouldReportOnly(canary, "spec.analysis.maxWeight", "must be between 1 and 100");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_StepWeightOutOfRange_ReportsRange(int stepWeight)
    {
        var canary = ValidCanary.WithAnalysis(a => a with { MaxWeight = null, StepWeight = stepWeight });

        ShouldReportOnly(canary, "spec.analysis.stepWeight", "must be between 1 and 100");
    }

    [Fact]
    public void Validate_StepWeightAboveMaxWeight_NamesMaxWeight()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { MaxWeight = 50, StepWeight = 60 });

        ShouldReportOnly(canary, "spec.analysis.stepWeight", "must not be greater than maxWeight (50)");
    }

    [Fact]
    public void Validate_StepWeightsItemOutOfRange_ReportsTheItem()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { StepWeight = null, StepWeights = [10, 0, 30] });

        ShouldReportOnly(canary, "spec.analysis.stepWeights[1]", "must be between 1 and 100");
    }

    [Theory]
    [InlineData(20, "must be increasing (20 follows 30)")]
    [InlineData(30, "must be increasing (30 follows 30)")]
    public void Validate_StepWeightsNotIncreasing_ReportsTheItem(int third, string message)
    {
        var canary = ValidCanary.WithAnalysis(a => a with { StepWeight = null, MaxWeight = null, StepWeights = [10, 30, third] });

        ShouldReportOnly(canary, "spec.analysis.stepWeights[2]", message);
    }

    [Fact]
    public void Validate_StepWeightWithStepWeights_IsAccepted()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { StepWeight = 10, StepWeights = [5, 20, 50] });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Fact]
    public void Validate_IterationsWithStepWeight_ReportsIterations()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Iterations = 10 });

        ShouldReportOnly(canary, "spec.analysis.iterations", "cannot be combined with stepWeight");
    }

    [Fact]
    public void Validate_IterationsWithStepWeights_ReportsIterations()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Iterations = 10, StepWeight = null, StepWeights = [10, 20] });

        ShouldReportOnly(canary, "spec.analysis.iterations", "cannot be combined with stepWeights");
    }

    [Fact]
    public void Validate_ZeroIterations_ReportsIt()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Iterations = 0, StepWeight = null, MaxWeight = null });

        ShouldReportOnly(canary, "spec.analysis.iterations", "must be at least 1");
    }

    [Fact]
    public void Validate_CanaryWithoutSteps_SaysItWouldNeverAdvance()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { StepWeight = null });

        ShouldReportOnly(canary, "spec.analysis", "needs stepWeight or stepWeights to advance the canary, or iterations for A/B testing and blue/green");
    }

    [Fact]
    public void Validate_CanaryWithoutStepsThatSkipsAnalysis_IsAccepted()
    {
        var canary = ValidCanary.With(s => s with { SkipAnalysis = true, Analysis = s.Analysis with { StepWeight = null } });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Fact]
    public void Validate_MatchWithoutIterations_ReportsMatch()
    {
        var canary = ValidCanary.With(s => s with { Provider = TrafficProviders.GatewayApi, Analysis = s.Analysis with { Match = [HeaderMatch()] } });

        ShouldReportOnly(canary, "spec.analysis.match", "requires iterations (A/B testing)");
    }

    [Theory]
    [InlineData("label-ratio")]
    [InlineData("kubernetes")]
    [InlineData("traefik")]
    [InlineData("smi")]
    [InlineData("smi:v1alpha2")]
    public void Validate_ABTestingWithProviderThatCannotMatch_ReportsMatch(string provider)
    {
        var canary = ValidCanary.With(s => s with
        {
            Provider = provider,
            Analysis = s.Analysis with { StepWeight = null, MaxWeight = null, Iterations = 10, Match = [HeaderMatch()] },
        });

        ShouldReportOnly(canary, "spec.analysis.match", $"A/B testing is not supported by provider \"{provider}\"");
    }

    [Theory]
    [InlineData("gatewayapi")]
    [InlineData("nginx")]
    [InlineData("linkerd")]
    public void Validate_ABTestingWithProviderThatCanMatch_IsAccepted(string provider)
    {
        var canary = ValidCanary.With(s => s with
        {
            Provider = provider,
            IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", "podinfo"),
            Analysis = s.Analysis with { StepWeight = null, MaxWeight = null, Iterations = 10, Match = [HeaderMatch()] },
        });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Fact]
    public void Validate_KubernetesProviderWithStepWeight_ReportsStepWeight()
    {
        var canary = ValidCanary.With(s => s with { Provider = "kubernetes" });

        ShouldReportOnly(canary, "spec.analysis.stepWeight",
            "provider \"kubernetes\" cannot shift traffic by weight; use iterations (blue/green), or provider label-ratio for a replica-ratio split");
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("label-ratio")]
    [InlineData("kubernetes")]
    [InlineData("smi")]
    [InlineData("linkerd")]
    [InlineData("smi:v1alpha1")]
    public void Validate_MirrorWithProviderThatCannotMirror_ReportsMirror(string provider)
    {
        var canary = ValidCanary.With(s => s with
        {
            Provider = provider,
            IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", "podinfo"),
            Analysis = s.Analysis with { StepWeight = null, MaxWeight = null, Iterations = 5, Mirror = true },
        });

        ShouldReportOnly(canary, "spec.analysis.mirror", $"provider \"{provider}\" cannot mirror traffic");
    }

    [Theory]
    [InlineData("gatewayapi")]
    [InlineData("gatewayapi:v1beta1")]
    [InlineData("traefik")]
    public void Validate_MirrorWithProviderThatCanMirror_IsAccepted(string provider)
    {
        var canary = ValidCanary.With(s => s with { Provider = provider, Analysis = s.Analysis with { Mirror = true, MirrorWeight = 20 } });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_MirrorWeightOutOfRange_ReportsRange(int mirrorWeight)
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Mirror = true, MirrorWeight = mirrorWeight });

        ShouldReportOnly(canary, "spec.analysis.mirrorWeight", "must be between 1 and 100");
    }

    [Fact]
    public void Validate_MirrorWeightWithoutMirror_ReportsIt()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { MirrorWeight = 50 });

        ShouldReportOnly(canary, "spec.analysis.mirrorWeight", "requires mirror: true");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_StepWeightPromotionOutOfRange_ReportsRange(int stepWeightPromotion)
    {
        var canary = ValidCanary.WithAnalysis(a => a with { StepWeightPromotion = stepWeightPromotion });

        ShouldReportOnly(canary, "spec.analysis.stepWeightPromotion", "must be between 1 and 100");
    }

    [Fact]
    public void Validate_MetricWithoutName_ReportsName()
    {
        var canary = WithMetric(new MetricCheck { Name = string.Empty, ThresholdRange = new ThresholdRange(Max: 1) });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].name", "is required");
    }

    [Fact]
    public void Validate_DuplicateMetricName_ReportsTheSecond()
    {
        var canary = WithMetric(new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new ThresholdRange(Min: 90) });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].name", "duplicate metric name \"request-success-rate\"");
    }

    [Fact]
    public void Validate_CustomMetricWithoutTemplateRef_ReportsTheMetric()
    {
        var canary = WithMetric(new MetricCheck { Name = "foo", ThresholdRange = new ThresholdRange(Max: 1) });

        ShouldReportOnly(canary, "spec.analysis.metrics[2]", "metric \"foo\" is not builtin and has no templateRef");
    }

    [Fact]
    public void Validate_TemplateRefToMissingTemplate_NamesTemplateAndNamespace()
    {
        var canary = WithMetric(new MetricCheck { Name = "latency", TemplateRef = new TemplateReference("x"), ThresholdRange = new ThresholdRange(Max: 1) });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].templateRef", "no MetricTemplate \"x\" in namespace \"test\"");
    }

    [Fact]
    public void Validate_TemplateRefToTemplateInOtherNamespace_LooksThere()
    {
        var canary = WithMetric(new MetricCheck
        {
            Name = "errors",
            TemplateRef = new TemplateReference("error-rate", "monitoring"),
            ThresholdRange = new ThresholdRange(Max: 1),
        });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].templateRef", "no MetricTemplate \"error-rate\" in namespace \"monitoring\"");
    }

    [Fact]
    public void Validate_TemplateRefWithoutName_ReportsName()
    {
        var canary = WithMetric(new MetricCheck { Name = "errors", TemplateRef = new TemplateReference(string.Empty), ThresholdRange = new ThresholdRange(Max: 1) });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].templateRef.name", "is required");
    }

    [Fact]
    public void Validate_MetricIntervalUnderOneSecond_SaysWhatItGot()
    {
        var canary = WithMetric(new MetricCheck
        {
            Name = BuiltinMetrics.RequestDuration,
            Interval = TimeSpan.Zero,
            ThresholdRange = new ThresholdRange(Max: 500),
        });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].interval", "must be at least 1s (got 0s)");
    }

    [Fact]
    public void Validate_ThresholdRangeWithNeitherBound_ReportsIt()
    {
        var canary = WithMetric(new MetricCheck { Name = BuiltinMetrics.RequestDuration });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].thresholdRange", "needs min or max");
    }

    [Fact]
    public void Validate_ThresholdRangeMinAboveMax_ReportsBoth()
    {
        var canary = WithMetric(new MetricCheck { Name = BuiltinMetrics.RequestDuration, ThresholdRange = new ThresholdRange(5.5, 1) });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].thresholdRange", "min (5.5) is greater than max (1)");
    }

    [Fact]
    public void Validate_HoldWithoutMaxHoldIntervals_ReportsIt()
    {
        var canary = WithMetric(new MetricCheck
        {
            Name = BuiltinMetrics.RequestDuration,
            ThresholdRange = new ThresholdRange(Max: 500),
            NoData = new NoDataPolicy(NoDataAction.Hold),
        });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].noData.maxHoldIntervals", "must be at least 1 when action is hold");
    }

    [Fact]
    public void Validate_NegativeMinRequests_ReportsIt()
    {
        var canary = WithMetric(new MetricCheck
        {
            Name = BuiltinMetrics.RequestDuration,
            ThresholdRange = new ThresholdRange(Max: 500),
            NoData = new NoDataPolicy(NoDataAction.Hold, MaxHoldIntervals: 3, MinRequests: -1),
        });

        ShouldReportOnly(canary, "spec.analysis.metrics[2].noData.minRequests", "must not be negative");
    }

    [Fact]
    public void Validate_WebhookWithoutName_ReportsName()
    {
        var canary = WithWebhook(new WebhookSpec { Name = " ", Url = new Uri("http://gate/") });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].name", "is required");
    }

    [Fact]
    public void Validate_DuplicateWebhookName_ReportsTheSecond()
    {
        var canary = WithWebhook(new WebhookSpec { Name = "load-test", Url = new Uri("http://gate/") });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].name", "duplicate webhook name \"load-test\"");
    }

    [Fact]
    public void Validate_WebhookWithoutUrl_ReportsUrl()
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Url = new Uri(string.Empty, UriKind.Relative) });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].url", "is required");
    }

    [Theory]
    [InlineData("/gate/approve")]
    [InlineData("ftp://gate/approve")]
    public void Validate_WebhookUrlNotAbsoluteHttp_ReportsUrl(string url)
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Url = new Uri(url, UriKind.RelativeOrAbsolute) });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].url", $"must be an absolute http, https, approval:// or exec:// URL (got \"{url}\")");
    }

    [Theory]
    [InlineData(WebhookType.ConfirmRollout, "approval://release-managers")]
    [InlineData(WebhookType.ConfirmPromotion, "approval://release-managers")]
    [InlineData(WebhookType.PreRollout, "exec://smoke-tests")]
    [InlineData(WebhookType.Rollout, "exec://load-test")]
    public void Validate_HostAnsweredGate_IsValid(WebhookType type, string url)
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Type = type, Url = new Uri(url) });

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().BeEmpty();
    }

    [Fact]
    public void Validate_ApprovalGateOnRolloutHook_ReportsUrl()
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Type = WebhookType.Rollout, Url = new Uri("approval://release-managers") });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].url", "an approval:// gate is only allowed on confirm-rollout and confirm-promotion webhooks");
    }

    [Fact]
    public void Validate_UnknownWebhookType_ReportsType()
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Url = new Uri("http://gate/"), Type = (WebhookType)42 });

        ShouldReportOnly(
            canary,
            "spec.analysis.webhooks[1].type",
            "is not a known webhook type (known: confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, confirm-promotion, post-rollout, rollback, event)");
    }

    [Fact]
    public void Validate_ZeroWebhookTimeout_ReportsTimeout()
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Url = new Uri("http://gate/"), Timeout = TimeSpan.Zero });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].timeout", "must be greater than 0");
    }

    [Fact]
    public void Validate_NegativeWebhookRetries_ReportsRetries()
    {
        var canary = WithWebhook(new WebhookSpec { Name = "gate", Url = new Uri("http://gate/"), Retries = -1 });

        ShouldReportOnly(canary, "spec.analysis.webhooks[1].retries", "must not be negative");
    }

    [Fact]
    public void Validate_UnknownAlertSeverity_ReportsSeverity()
    {
        var canary = WithAlert(new AlertSpec("pager", (AlertSeverity)9, new ProviderReference("pagerduty")));

        ShouldReportOnly(canary, "spec.analysis.alerts[1].severity", "is not a known severity (known: info, warn, error)");
    }

    [Fact]
    public void Validate_AlertWithoutProviderName_ReportsProviderRefName()
    {
        var canary = WithAlert(new AlertSpec("pager", AlertSeverity.Error, new ProviderReference(string.Empty)));

        ShouldReportOnly(canary, "spec.analysis.alerts[1].providerRef.name", "is required");
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllOfThem()
    {
        var canary = ValidCanary.With(s => s with
        {
            Service = new ServiceSpec(),
            Analysis = s.Analysis with { Threshold = 0, MaxWeight = 200 },
        });

        var errors = CanarySpecValidator.Validate(canary, ValidCanary.Templates);

        errors.Select(e => e.Path).Should().BeEquivalentTo("spec.service.port", "spec.analysis.threshold", "spec.analysis.maxWeight");
    }

    private static HttpMatch HeaderMatch() =>
        new() { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new(StringMatchKind.Exact, "insider") } };

    private static CanaryResource WithMetric(MetricCheck metric) => ValidCanary.WithAnalysis(a => a with { Metrics = [.. a.Metrics, metric] });

    private static CanaryResource WithWebhook(WebhookSpec webhook) => ValidCanary.WithAnalysis(a => a with { Webhooks = [.. a.Webhooks, webhook] });

    private static CanaryResource WithAlert(AlertSpec alert) => ValidCanary.WithAnalysis(a => a with { Alerts = [.. a.Alerts, alert] });

    private static void ShouldReportOnly(CanaryResource canary, string path, string message)
    {
        var errors = CanarySpecValidator.Validate(canary, ValidCanary.Templates);

        errors.Should().Equal(new ValidationError(path, message));
    }
}
