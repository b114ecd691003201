using Canary.Model;
using Canary.Specs;

namespace Canary.Core.Tests.Specs;

public sealed class CanaryManifestReaderMappingTests
{
    private const string FullCanary = """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: test
          labels:
            team: web
        spec:
          provider: gatewayapi:v1beta1
          metricsServer: http://prometheus:9090
          revertOnDeletion: true
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          ingressRef:
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            name: podinfo-ingress
          autoscalerRef:
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            name: podinfo-hpa
            primaryScalerReplicas:
              minReplicas: 2
              maxReplicas: 6
          progressDeadlineSeconds: 120
          skipAnalysis: true
          suspend: true
          service:
            name: podinfo-svc
            port: 80
            portName: web
            targetPort: 9898
            hosts: [app.example.com, www.example.com]
            previewHost: preview.example.com
            gatewayRefs:
              - name: public
                namespace: gateways
              - name: internal
            match:
              - headers:
                  x-region:
                    prefix: eu-
          analysis:
            interval: 1m30s
            threshold: 4
            maxWeight: 60
            stepWeight: 10
            stepWeights: [10, 30, 60]
            stepWeightPromotion: 50
            iterations: 3
            mirror: true
            mirrorWeight: 25
            primaryReadyThreshold: 100
            match:
              - headers:
                  x-canary:
                    exact: insider
                  user-agent:
                    regex: ".*Firefox.*"
                queryParams:
                  beta:
                    suffix: "on"
              - headers:
                  cookie:
                    prefix: canary
            metrics:
              - name: request-success-rate
                interval: 30s
                thresholdRange:
                  min: 99.5
              - name: error-rate
                templateRef:
                  name: error-rate
                  namespace: monitoring
                templateVariables:
                  route: /api
                thresholdRange:
                  min: 0
                  max: 1
                noData:
                  action: hold
                  maxHoldIntervals: 3
                  minRequests: 50
            webhooks:
              - name: gate
                type: confirm-rollout
                url: http://loadtester.test/gate/approve
                timeout: 15s
                retries: 2
                muteAlert: true
                metadata:
                  type: bash
                  cmd: "curl -s http://podinfo-canary"
              - name: load-test
                url: http://loadtester.test/
            alerts:
              - name: on-call
                severity: error
                providerRef:
                  name: pagerduty
                  namespace: ops
              - name: chat
                severity: info
                providerRef:
                  name: slack
        """;

    [Fact]
    public void Read_FullFlaggerCanary_MapsEveryField()
    {
        var result = CanaryManifestReader.Read(FullCanary);

        var expected = new CanaryResource(
            new CanaryId("podinfo", "test"),
            new CanarySpec
            {
                Provider = "gatewayapi:v1beta1",
                TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
                IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", "podinfo-ingress"),
                AutoscalerRef = new AutoscalerReference("autoscaling/v2", "HorizontalPodAutoscaler", "podinfo-hpa") { PrimaryMinReplicas = 2, PrimaryMaxReplicas = 6 },
                ProgressDeadline = TimeSpan.FromSeconds(120),
                SkipAnalysis = true,
                Suspend = true,
                Service = new ServiceSpec
                {
                    Name = "podinfo-svc",
                    Port = 80,
                    PortName = "web",
                    TargetPort = "9898",
                    Hosts = ["app.example.com", "www.example.com"],
                    PreviewHost = "preview.example.com",
                    GatewayRefs = [new GatewayReference("public", "gateways"), new GatewayReference("internal")],
                    Match = [new HttpMatch { Headers = new Dictionary<string, StringMatch> { ["x-region"] = new(StringMatchKind.Prefix, "eu-") } }],
                },
                Analysis = new AnalysisSpec
                {
                    Interval = TimeSpan.FromSeconds(90),
                    Threshold = 4,
                    MaxWeight = 60,
                    StepWeight = 10,
                    StepWeights = [10, 30, 60],
                    StepWeightPromotion = 50,
                    Iterations = 3,
                    Mirror = true,
                    MirrorWeight = 25,
                    Match =
                    [
                        new HttpMatch
                        {
                            Headers = new Dictionary<string, StringMatch>
                            {
                                ["x-canary"] = new(StringMatchKind.Exact, "insider"),
                                ["user-agent"] = new(StringMatchKind.Regex, ".*Firefox.*"),
                            },
                            QueryParams = new Dictionary<string, StringMatch> { ["beta"] = new(StringMatchKind.Suffix, "on") },
                        },
                        new HttpMatch { Headers = new Dictionary<string, StringMatch> { ["cookie"] = new(StringMatchKind.Prefix, "canary") } },
                    ],
                    Metrics =
                    [
                        new MetricCheck { Name = "request-success-rate", Interval = TimeSpan.FromSeconds(30), ThresholdRange = new ThresholdRange(Min: 99.5) },
                        new MetricCheck
                        {
                            Name = "error-rate",
                            TemplateRef = new TemplateReference("error-rate", "monitoring"),
                            TemplateVariables = new Dictionary<string, string> { ["route"] = "/api" },
                            ThresholdRange = new ThresholdRange(0, 1),
                            NoData = new NoDataPolicy(NoDataAction.Hold, 3, 50),
                        },
                    ],
                    Webhooks =
                    [
                        new WebhookSpec
                        {
                            Name = "gate",
                            Type = WebhookType.ConfirmRollout,
                            Url = new Uri("http://loadtester.test/gate/approve"),
                            Timeout = TimeSpan.FromSeconds(15),
                            Retries = 2,
                            MuteAlert = true,
                            Metadata = new Dictionary<string, string> { ["type"] = "bash", ["cmd"] = "curl -s http://podinfo-canary" },
                        },
                        new WebhookSpec { Name = "load-test", Url = new Uri("http://loadtester.test/") },
                    ],
                    Alerts =
                    [
                        new AlertSpec("on-call", AlertSeverity.Error, new ProviderReference("pagerduty", "ops")),
                        new AlertSpec("chat", AlertSeverity.Info, new ProviderReference("slack")),
                    ],
                },
            })
        {
            Labels = new Dictionary<string, string> { ["team"] = "web" },
        };
        result.Manifest.Should().NotBeNull();
        result.Manifest!.Canaries.Should().ContainSingle().Which.Should().BeEquivalentTo(expected, o => o.ComparingRecordsByMembers().WithStrictOrdering());
    }

    [Fact]
    public void Read_MinimalCanary_KeepsModelDefaults()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata:
              name: podinfo
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 9898}
              analysis:
                stepWeight: 10
                webhooks:
                  - name: load-test
                    url: http://loadtester/
            """);

        result.Errors.Should().BeEmpty();
        var canary = result.Manifest!.Canaries.Should().ContainSingle().Subject;
        canary.Id.Should().Be(new CanaryId("podinfo", "default"));
        canary.Labels.Should().BeEmpty();
        canary.Spec.Provider.Should().BeNull();
        canary.Spec.ProgressDeadline.Should().Be(CanarySpec.DefaultProgressDeadline);
        canary.Spec.Service.PortName.Should().Be("http");
        canary.Spec.Service.TargetPort.Should().BeNull();
        canary.Spec.Analysis.Interval.Should().Be(AnalysisSpec.DefaultInterval);
        canary.Spec.Analysis.Threshold.Should().Be(1);
        canary.Spec.Analysis.MaxWeight.Should().BeNull();
        canary.Spec.Analysis.Webhooks.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Type = WebhookType.Rollout,
            Timeout = WebhookSpec.DefaultTimeout,
            Retries = 0,
            MuteAlert = false,
        });
    }

    [Fact]
    public void Read_NamedTargetPort_KeepsTheName()
    {
        var result = CanaryManifestReader.Read(CanaryWith("service: {port: 80, targetPort: http}", "stepWeight: 10"));

        result.Manifest!.Canaries[0].Spec.Service.TargetPort.Should().Be("http");
    }

    [Fact]
    public void Read_DeprecatedCanaryAnalysis_IsReadAsAnalysis()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: {name: podinfo}
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 80}
              canaryAnalysis:
                interval: 20s
                stepWeight: 7
            """);

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries[0].Spec.Analysis.Should().BeEquivalentTo(new { Interval = TimeSpan.FromSeconds(20), StepWeight = 7 });
    }

    [Theory]
    [InlineData("request-success-rate", 99.0, null)]
    [InlineData("request-duration", null, 500.0)]
    public void Read_DeprecatedMetricThreshold_IsMinForSuccessRateAndMaxOtherwise(string metric, double? min, double? max)
    {
        var threshold = metric == "request-success-rate" ? 99 : 500;

        var result = CanaryManifestReader.Read(CanaryWith(analysis: $"stepWeight: 10\n    metrics: [{{name: {metric}, threshold: {threshold}}}]"));

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries[0].Spec.Analysis.Metrics[0].ThresholdRange.Should().Be(new ThresholdRange(min, max));
    }

    [Fact]
    public void Read_ThresholdRangeAndDeprecatedThreshold_ThresholdRangeWins()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    metrics: [{name: request-duration, threshold: 900, thresholdRange: {max: 300}}]"));

        result.Manifest!.Canaries[0].Spec.Analysis.Metrics[0].ThresholdRange.Should().Be(new ThresholdRange(Max: 300));
    }

    [Theory]
    [InlineData("confirm-rollout", WebhookType.ConfirmRollout)]
    [InlineData("pre-rollout", WebhookType.PreRollout)]
    [InlineData("rollout", WebhookType.Rollout)]
    [InlineData("confirm-traffic-increase", WebhookType.ConfirmTrafficIncrease)]
    [InlineData("confirm-promotion", WebhookType.ConfirmPromotion)]
    [InlineData("post-rollout", WebhookType.PostRollout)]
    [InlineData("rollback", WebhookType.Rollback)]
    [InlineData("event", WebhookType.Event)]
    [InlineData("\"\"", WebhookType.Rollout)]
    public void Read_WebhookType_MapsFlaggersSpelling(string spelling, WebhookType expected)
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: $"stepWeight: 10\n    webhooks: [{{name: hook, type: {spelling}, url: 'http://hook/'}}]"));

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries[0].Spec.Analysis.Webhooks[0].Type.Should().Be(expected);
    }

    [Theory]
    [InlineData("info", AlertSeverity.Info)]
    [InlineData("warn", AlertSeverity.Warn)]
    [InlineData("error", AlertSeverity.Error)]
    public void Read_AlertSeverity_MapsIt(string spelling, AlertSeverity expected)
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: $"stepWeight: 10\n    alerts: [{{name: chat, severity: {spelling}, providerRef: {{name: slack}}}}]"));

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries[0].Spec.Analysis.Alerts[0].Severity.Should().Be(expected);
    }

    [Fact]
    public void Read_MetricTemplate_MapsEveryField()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata:
              name: latency
              namespace: monitoring
            spec:
              provider:
                type: datadog
                address: https://api.datadoghq.eu
                secretRef:
                  name: datadog
                region: eu-west-1
                insecureSkipVerify: true
                headers:
                  X-Scope-OrgID: tenant-1
                  Accept: [application/json, text/plain]
              query: avg:latency{service:{{ target }}}
            """);

        result.Errors.Should().BeEmpty();
        var expected = new MetricTemplate(
            "latency",
            "monitoring",
            new MetricProviderSpec
            {
                Type = "datadog",
                Address = new Uri("https://api.datadoghq.eu"),
                SecretRef = "datadog",
                Region = "eu-west-1",
                InsecureSkipVerify = true,
                Headers = new Dictionary<string, string> { ["X-Scope-OrgID"] = "tenant-1", ["Accept"] = "application/json, text/plain" },
            },
            "avg:latency{service:{{ target }}}");
        result.Manifest!.MetricTemplates.Should().ContainSingle().Which.Should().BeEquivalentTo(expected, o => o.ComparingRecordsByMembers());
    }

    [Fact]
    public void Read_MetricTemplateWithoutProvider_DefaultsToPrometheus()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata: {name: errors}
            spec: {query: "sum(errors)"}
            """);

        result.Errors.Should().BeEmpty();
        result.Manifest!.MetricTemplates[0].Should().BeEquivalentTo(new { Namespace = "default", Provider = new { Type = "prometheus", Address = (Uri?)null } });
    }

    [Fact]
    public void Read_JsonObject_ReadsTheCanary()
    {
        var result = CanaryManifestReader.Read("""
            {
                "apiVersion": "flagger.app/v1beta1",
                "kind": "Canary",
                "metadata": { "name": "podinfo", "namespace": "test" },
                "spec": {
                    "targetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": "podinfo" },
                    "service": { "port": 9898, "targetPort": "http" },
                    "skipAnalysis": false,
                    "analysis": {
                        "interval": "30s",
                        "stepWeights": [10, 50],
                        "metrics": [ { "name": "request-duration", "thresholdRange": { "max": 250.5 } } ]
                    }
                }
            }
            """);

        result.Errors.Should().BeEmpty();
        var spec = result.Manifest!.Canaries.Should().ContainSingle().Subject.Spec;
        spec.Service.Port.Should().Be(9898);
        spec.Service.TargetPort.Should().Be("http");
        spec.Analysis.Interval.Should().Be(TimeSpan.FromSeconds(30));
        spec.Analysis.StepWeights.Should().Equal(10, 50);
        spec.Analysis.Metrics[0].ThresholdRange.Should().Be(new ThresholdRange(Max: 250.5));
    }

    [Fact]
    public void Read_JsonIndentedWithTabs_ReadsIt()
    {
        var json = "{\n\t\"apiVersion\": \"flagger.app/v1beta1\",\n\t\"kind\": \"MetricTemplate\",\n"
            + "\t\"metadata\": {\n\t\t\"name\": \"errors\"\n\t},\n\t\"spec\": {\"query\": \"sum(errors)\"}\n}";

        var result = CanaryManifestReader.Read(json);

        result.Errors.Should().BeEmpty();
        result.Manifest!.MetricTemplates.Should().ContainSingle().Which.Query.Should().Be("sum(errors)");
    }

    [Fact]
    public void Read_JsonList_ReadsEveryItem()
    {
        var result = CanaryManifestReader.Read("""
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "podinfo"}},
              {"apiVersion": "flagger.app/v1beta1", "kind": "MetricTemplate", "metadata": {"name": "errors"}, "spec": {"query": "sum(errors)"}},
              {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "podinfo"},
               "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "podinfo"}, "service": {"port": 80},
                        "analysis": {"stepWeight": 20, "metrics": [{"name": "errors", "templateRef": {"name": "errors"}, "thresholdRange": {"max": 1}}]}}}
            ]}
            """);

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries.Select(c => c.Id.Name).Should().Equal("podinfo");
        result.Manifest.MetricTemplates.Select(t => t.Name).Should().Equal("errors");
    }

    [Fact]
    public void Read_MultipleYamlDocuments_ReadsThemInOrder()
    {
        var result = CanaryManifestReader.Read($"""
            {CanaryText("frontend")}
            ---
            {CanaryText("backend")}
            ---
            """);

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries.Select(c => c.Id.Name).Should().Equal("frontend", "backend");
    }

    [Fact]
    public void Read_OtherKindsInTheFile_AreSkippedSilently()
    {
        var result = CanaryManifestReader.Read($$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: podinfo}
            spec: {replicas: 2}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: podinfo}
            ---
            apiVersion: example.com/v1
            kind: Canary
            metadata: {name: unrelated}
            ---
            {{CanaryText("podinfo")}}
            """);

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries.Select(c => c.Id.Name).Should().Equal("podinfo");
    }

    [Fact]
    public void Read_OurOwnApiGroup_IsRead()
    {
        var result = CanaryManifestReader.Read(CanaryText("podinfo").Replace("flagger.app/v1beta1", "canary.dev/v1", StringComparison.Ordinal));

        result.Errors.Should().BeEmpty();
        result.Manifest!.Canaries.Should().ContainSingle();
    }

    [Fact]
    public void Read_EmptyText_GivesAnEmptyManifest()
    {
        var result = CanaryManifestReader.Read("# nothing here\n");

        result.Errors.Should().BeEmpty();
        result.Manifest.Should().BeEquivalentTo(new { Canaries = Array.Empty<CanaryResource>(), MetricTemplates = Array.Empty<MetricTemplate>() });
    }

    [Fact]
    public void Read_UnknownFieldsEverywhere_AreIgnored()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: {name: podinfo, annotations: {a: b}}
            spec:
              revertOnDeletion: true
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 80, gateways: [public], retries: {attempts: 3}}
              analysis:
                stepWeight: 10
                sessionAffinity: {cookieName: flagger}
                metrics: [{name: request-duration, thresholdRange: {max: 500}, query: "ignored", extra: 1}]
                webhooks: [{name: hook, url: "http://hook/", disableTLS: true}]
            """);

        result.Errors.Should().BeEmpty();
    }

    internal static string CanaryText(string name) => $$"""
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: {{name}}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: {{name}}}
          service:
            port: 80
          analysis:
            stepWeight: 10
        """;

    /// <summary>A canary whose <c>spec.service</c> line and <c>spec.analysis</c> body (indented four spaces) are given.</summary>
    internal static string CanaryWith(string service = "service: {port: 80}", string analysis = "stepWeight: 10") => $$"""
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          {{service}}
          analysis:
            {{analysis}}
        """;
}
