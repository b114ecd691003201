using Canary.Analysis;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Tests.Templates;

public sealed class MetricQueryRendererTests
{
    [Fact]
    public void Render_TemplateQuery_UsesCanaryAndCheckValues()
    {
        var query = TestQueries.Template(
            "sum(rate(http_requests_total{namespace=\"{{ namespace }}\",pod=~\"{{ target }}-.*\",code=~\"{{ variables.code }}\"}[{{ interval }}]))",
            new Dictionary<string, string> { ["code"] = "5.." },
            interval: TimeSpan.FromSeconds(30));

        var text = MetricQueryRenderer.Render(query);

        text.Should().Be("sum(rate(http_requests_total{namespace=\"test\",pod=~\"podinfo-.*\",code=~\"5..\"}[30s]))");
    }

    [Fact]
    public void Render_NoInterval_UsesOneMinute()
    {
        var query = TestQueries.Template("x[{{ interval }}]");

        var text = MetricQueryRenderer.Render(query);

        text.Should().Be("x[1m]");
    }

    [Theory]
    [InlineData(WorkloadRole.Canary, "podinfo")]
    [InlineData(WorkloadRole.Primary, "podinfo-primary")]
    [InlineData(WorkloadRole.Baseline, "podinfo-baseline")]
    public void Render_Role_TargetIsTheMeasuredWorkload(WorkloadRole role, string expected)
    {
        var query = TestQueries.Template("{{ target }}", role: role);

        var text = MetricQueryRenderer.Render(query);

        text.Should().Be(expected);
    }

    [Fact]
    public void Render_ServiceName_DefaultsToTarget()
    {
        var query = TestQueries.Template("{{ service }}");

        var text = MetricQueryRenderer.Render(query);

        text.Should().Be("podinfo");
    }

    [Fact]
    public void Render_UnknownVariableInTemplate_ThrowsWithTemplateName()
    {
        var query = TestQueries.Template("x{a=\"{{ foo }}\"}", templateName: "latency");

        var act = () => MetricQueryRenderer.Render(query);

        act.Should().Throw<MetricTemplateException>().WithMessage("unknown template variable \"foo\" in MetricTemplate \"latency\"*");
    }

    [Fact]
    public void Render_TemplateRefWithoutTemplate_Throws()
    {
        var check = new MetricCheck { Name = "latency", TemplateRef = new TemplateReference("latency") };
        var query = new MetricQuery(TestQueries.Canary(), check, null);

        var act = () => MetricQueryRenderer.Render(query);

        act.Should().Throw<MetricTemplateException>().WithMessage("metric check \"latency\" references MetricTemplate \"latency\", but the template was not resolved.");
    }

    [Fact]
    public void Render_CustomMetricWithoutTemplate_Throws()
    {
        var query = new MetricQuery(TestQueries.Canary(), new MetricCheck { Name = "error-budget" }, null);

        var act = () => MetricQueryRenderer.Render(query);

        act.Should().Throw<MetricTemplateException>().WithMessage("\"error-budget\" is not a builtin metric*templateRef*");
    }
}
