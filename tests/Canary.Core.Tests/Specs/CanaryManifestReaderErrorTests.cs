using Canary.Specs;
using Canary.Validation;
using static Canary.Core.Tests.Specs.CanaryManifestReaderMappingTests;

namespace Canary.Core.Tests.Specs;

public sealed class CanaryManifestReaderErrorTests
{
    [Fact]
    public void Read_MalformedYaml_ReportsOneErrorWithItsLine()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata:
              name: podinfo
            spec:
              service:
                port: 80: 90
            """);

        result.Manifest.Should().BeNull();
        result.IsValid.Should().BeFalse();
        result.Errors.Should().Equal(new ValidationError("(document 1) line 7", "while scanning a plain scalar value, found invalid mapping") { Line = 7 });
    }

    [Fact]
    public void Read_MalformedSecondDocument_NamesTheDocument()
    {
        var result = CanaryManifestReader.Read(CanaryText("podinfo") + "\n---\nkind: [Canary\n");

        result.Manifest.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Path.Should().StartWith("(document 2) line ");
    }

    [Fact]
    public void Read_MalformedJson_ReportsItsLine()
    {
        var result = CanaryManifestReader.Read("""
            {
              "apiVersion": "flagger.app/v1beta1",
              "kind": "Canary",
              "metadata": {"name": "podinfo"
              "spec": {}
            }
            """);

        result.Manifest.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Line.Should().Be(5);
    }

    [Fact]
    public void Read_DuplicateKey_IsASyntaxError()
    {
        var result = CanaryManifestReader.Read("kind: Canary\nkind: Service\n");

        result.Errors.Should().Equal(new ValidationError("(document 1) line 2", "duplicate key kind") { Line = 2 });
    }

    [Fact]
    public void Read_DeeplyNestedInput_IsRejectedWithoutOverflowingTheStack()
    {
        const int depth = 100_000;

        var result = CanaryManifestReader.Read(new string('[', depth) + new string(']', depth));

        result.Manifest.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Message.Should().Be("nesting is deeper than 100 levels");
    }

    [Fact]
    public void Read_DocumentWithoutKind_ReportsKind()
    {
        var result = CanaryManifestReader.Read(CanaryText("podinfo") + "\n---\napiVersion: flagger.app/v1beta1\nmetadata: {name: x}\n");

        result.Errors.Should().Equal(new ValidationError("(document 2) kind", "is required") { Line = 12 });
    }

    [Fact]
    public void Read_DocumentWithoutApiVersion_ReportsApiVersion()
    {
        var result = CanaryManifestReader.Read("kind: Canary\nmetadata: {name: x}\n");

        result.Errors.Should().Equal(new ValidationError("(document 1) apiVersion", "is required") { Line = 1 });
    }

    [Fact]
    public void Read_DocumentThatIsNotAMapping_ReportsTheDocument()
    {
        var result = CanaryManifestReader.Read("- a\n- b\n");

        result.Errors.Should().Equal(new ValidationError("(document 1)", "is not a Kubernetes object (a mapping with apiVersion and kind)") { Line = 1 });
    }

    [Fact]
    public void Read_ListItemWithoutKind_NamesTheItem()
    {
        var result = CanaryManifestReader.Read("""{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1"}]}""");

        result.Errors.Should().Equal(new ValidationError("(document 1) items[0].kind", "is required") { Line = 1 });
    }

    [Fact]
    public void Read_UnsupportedVersionOfOurGroup_ReportsApiVersion()
    {
        var result = CanaryManifestReader.Read("apiVersion: flagger.app/v1alpha3\nkind: Canary\nmetadata: {name: podinfo}\n");

        result.Errors.Should().Equal(new ValidationError(
            "(document 1) apiVersion",
            "\"flagger.app/v1alpha3\" is not supported (use flagger.app/v1beta1 or canary.dev/v1)") { Line = 1 });
    }

    [Fact]
    public void Read_CanaryWithoutName_ReportsMetadataName()
    {
        var result = CanaryManifestReader.Read("apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  namespace: test\nspec: {}\n");

        result.Errors.Should().Equal(new ValidationError("(document 1) metadata.name", "is required") { Line = 4 });
        result.Manifest!.Canaries.Should().BeEmpty();
    }

    [Fact]
    public void Read_NameOfTheWrongType_IsReportedOnce()
    {
        var result = CanaryManifestReader.Read("apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  name: [podinfo]\n");

        result.Errors.Should().Equal(new ValidationError("(document 1) metadata.name", "must be a string") { Line = 4 });
    }

    [Fact]
    public void Read_MetadataOfTheWrongType_IsReportedOnce()
    {
        var result = CanaryManifestReader.Read("apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: podinfo\n");

        result.Errors.Should().Equal(new ValidationError("(document 1) metadata", "must be a mapping") { Line = 3 });
    }

    [Fact]
    public void Read_WebhookWithoutUrl_ReportsUrlAtTheWebhooksLine()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    webhooks:\n      - name: gate\n        type: confirm-rollout"));

        result.Errors.Should().Equal(new ValidationError("spec.analysis.webhooks[0].url", "is required") { Line = 11 });
    }

    [Fact]
    public void Read_TargetPortOfTheWrongType_SaysIntegerOrString()
    {
        var result = CanaryManifestReader.Read(CanaryWith(service: "service: {port: 80, targetPort: [http]}"));

        result.Errors.Should().Equal(new ValidationError("spec.service.targetPort", "must be an integer or a string") { Line = 7 });
    }

    [Fact]
    public void Read_CanaryWithoutSpec_ReportsOnlySpec()
    {
        var result = CanaryManifestReader.Read("apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: podinfo}\n");

        result.Errors.Should().Equal(new ValidationError("spec", "is required") { Line = 1 });
    }

    [Fact]
    public void Read_CanaryWithoutAnalysis_ReportsOnlyAnalysis()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: {name: podinfo}
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 80}
            """);

        result.Errors.Should().Equal(new ValidationError("spec.analysis", "is required") { Line = 5 });
    }

    [Fact]
    public void Read_StepWeightNotAnInteger_NamesTheFieldAndLine()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: ten"));

        result.Errors.Should().Equal(new ValidationError("spec.analysis.stepWeight", "must be an integer") { Line = 9 });
    }

    [Theory]
    [InlineData("maxWeight: 50.5", "spec.analysis.maxWeight", "must be an integer")]
    [InlineData("maxWeight: \"50\"", "spec.analysis.maxWeight", "must be an integer")]
    [InlineData("maxWeight: [50]", "spec.analysis.maxWeight", "must be an integer")]
    [InlineData("mirror: yes", "spec.analysis.mirror", "must be a boolean")]
    [InlineData("stepWeights: 10", "spec.analysis.stepWeights", "must be a list")]
    [InlineData("stepWeights: [10, x]", "spec.analysis.stepWeights[1]", "must be an integer")]
    [InlineData("metrics: {name: x}", "spec.analysis.metrics", "must be a list")]
    [InlineData("metrics: [request-duration]", "spec.analysis.metrics[0]", "must be a mapping")]
    [InlineData("metrics: [{name: request-duration, thresholdRange: {max: fast}}]", "spec.analysis.metrics[0].thresholdRange.max", "must be a number")]
    [InlineData("metrics: [{name: request-duration, thresholdRange: {max: 5}, templateVariables: {a: [1]}}]", "spec.analysis.metrics[0].templateVariables.a", "must be a string")]
    [InlineData("interval: 5x", "spec.analysis.interval", "\"5x\" is not a duration (use Go form such as 30s, 1m, 1h30m)")]
    [InlineData("webhooks: [{name: w, url: 'http://[bad'}]", "spec.analysis.webhooks[0].url", "\"http://[bad\" is not a URL")]
    [InlineData("webhooks: [{name: w, url: 'http://w/', timeout: soon}]", "spec.analysis.webhooks[0].timeout", "\"soon\" is not a duration (use Go form such as 30s, 1m, 1h30m)")]
    [InlineData("alerts: [{name: a, severity: critical, providerRef: {name: slack}}]", "spec.analysis.alerts[0].severity", "\"critical\" is not a known severity (known: info, warn, error)")]
    public void Read_WrongType_NamesTheField(string analysisField, string path, string message)
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    " + analysisField));

        result.Errors.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Path = path, Message = message, Line = 10 });
    }

    [Fact]
    public void Read_UnknownWebhookType_ListsFlaggersSpellings()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    webhooks: [{name: w, type: pre_rollout, url: 'http://w/'}]"));

        result.Errors.Should().Equal(new ValidationError(
            "spec.analysis.webhooks[0].type",
            "\"pre_rollout\" is not a known webhook type (known: confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, confirm-promotion, post-rollout, rollback, event)")
        { Line = 10 });
    }

    [Fact]
    public void Read_ServiceNotAMapping_NamesIt()
    {
        var result = CanaryManifestReader.Read(CanaryWith(service: "service: [80]"));

        result.Errors.Should().Equal(new ValidationError("spec.service", "must be a mapping") { Line = 7 });
    }

    [Fact]
    public void Read_MatchConditionWithoutKind_ListsTheKinds()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "iterations: 5\n    match: [{headers: {x-canary: {equals: insider}}}]"));

        result.Errors.Should().Equal(new ValidationError("spec.analysis.match[0].headers.x-canary", "needs one of exact, prefix, suffix, regex") { Line = 10 });
    }

    [Fact]
    public void Read_MatchConditionWithTwoKinds_SaysOnlyOne()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "iterations: 5\n    match: [{headers: {x-canary: {exact: a, prefix: b}}}]"));

        result.Errors.Should().Equal(new ValidationError("spec.analysis.match[0].headers.x-canary", "must have only one of exact, prefix, suffix, regex") { Line = 10 });
    }

    [Fact]
    public void Read_NoDataWithoutAction_ReportsAction()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    metrics: [{name: request-duration, thresholdRange: {max: 5}, noData: {maxHoldIntervals: 3}}]"));

        result.Errors.Should().Equal(new ValidationError("spec.analysis.metrics[0].noData.action", "is required") { Line = 10 });
    }

    [Fact]
    public void Read_ValidationError_CarriesTheLineOfItsField()
    {
        var result = CanaryManifestReader.Read(CanaryWith(analysis: "stepWeight: 10\n    maxWeight: 0"));

        result.Errors.Should().Equal(new ValidationError("spec.analysis.maxWeight", "must be between 1 and 100") { Line = 10 });
    }

    [Fact]
    public void Read_ValidationErrorOnMissingField_CarriesTheLineOfItsParent()
    {
        var result = CanaryManifestReader.Read(CanaryWith(service: "service: {name: podinfo}"));

        result.Errors.Should().Equal(new ValidationError("spec.service.port", "is required") { Line = 7 });
    }

    [Fact]
    public void Read_ParseAndValidationErrors_AreReportedTogether()
    {
        var result = CanaryManifestReader.Read(CanaryWith(service: "service: {port: 0}", analysis: "stepWeight: 10\n    threshold: many"));

        result.Errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "spec.analysis.threshold: must be an integer",
            "spec.service.port: is required");
    }

    [Fact]
    public void Read_SeveralCanaries_PrefixesEveryPathWithTheName()
    {
        var broken = CanaryText("backend").Replace("stepWeight: 10", "stepWeight: 10\n    maxWeight: high\n    threshold: 0", StringComparison.Ordinal);

        var result = CanaryManifestReader.Read(CanaryText("frontend") + "\n---\n" + broken);

        result.Errors.Should().Equal(
            new ValidationError("backend: spec.analysis.maxWeight", "must be an integer") { Line = 22 },
            new ValidationError("backend: spec.analysis.threshold", "must be at least 1") { Line = 23 });
    }

    [Fact]
    public void Read_TemplateRefToTemplateInTheFile_IsResolved()
    {
        var result = CanaryManifestReader.Read("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: {name: podinfo}
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 80}
              analysis:
                stepWeight: 10
                metrics:
                  - name: errors
                    templateRef: {name: error-rate}
                    thresholdRange: {max: 1}
                  - name: latency
                    templateRef: {name: latency}
                    thresholdRange: {max: 1}
            ---
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata: {name: error-rate}
            spec: {query: "sum(errors)"}
            """);

        result.Errors.Should().Equal(new ValidationError("spec.analysis.metrics[1].templateRef", "no MetricTemplate \"latency\" in namespace \"default\"") { Line = 14 });
    }

    [Fact]
    public void Read_BrokenTemplateNextToACanary_PrefixesTheTemplatesPaths()
    {
        var result = CanaryManifestReader.Read(CanaryText("podinfo") + """

            ---
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata: {name: errors}
            spec:
              provider: {type: influxdb}
              query: "sum(errors)"
            """);

        result.Errors.Should().Equal(new ValidationError(
            "errors: spec.provider.type",
            "\"influxdb\" is not a supported metric provider (supported: prometheus, datadog, newrelic, graphite, cloudwatch)") { Line = 16 });
    }

    public static TheoryData<string> Garbage
    {
        get
        {
            var data = new TheoryData<string>
            {
                "\0\u0001\u0002\u0003",
                "{{{{",
                "}}}}",
                "- - - :",
                ": [\ns",
                ":::: ::",
                "[1, 2",
                "\"unterminated",
                "key: [a, b",
                "%YAML 1.1\n%YAML 1.1\n---\na: 1",
                "*undefined",
                "&a [*a]",
                "!!binary %%%",
                "? [complex, key]\n: value",
                "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: [x]",
                "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: [x]}",
                "apiVersion: [flagger.app/v1beta1]\nkind: {Canary: 1}",
                "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: p}\nspec: 7",
                "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: p}\nspec: {analysis: {match: [{headers: [1]}], metrics: [[]], webhooks: [7]}}",
                "apiVersion: v1\nkind: List\nitems: 5",
                "apiVersion: v1\nkind: List\nitems: [1, [2], {kind: List, apiVersion: v1, items: [{}]}]",
                "\t\ta:\n b",
                "a: b\n\u00ff\u00fe: \ud800",
            };
            var random = new Random(20240611);
            for (var i = 0; i < 40; i++)
            {
                var chars = new char[random.Next(1, 200)];
                for (var j = 0; j < chars.Length; j++)
                {
                    chars[j] = (char)random.Next(0, i % 2 == 0 ? 128 : 0xFFFF);
                }

                data.Add(new string(chars));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Read_Garbage_ReturnsErrorsInsteadOfThrowing(string text)
    {
        var read = () => CanaryManifestReader.Read(text);

        var result = read.Should().NotThrow().Subject;
        (result.Manifest is not null || result.Errors.Count > 0).Should().BeTrue();
    }
}
