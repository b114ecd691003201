using Canary.Metrics.Templates;

namespace Canary.Metrics.Tests.Templates;

public sealed class PromQlTemplateTests
{
    private const string Source = "MetricTemplate \"error-rate\"";

    private static MetricTemplateContext Context(
        IReadOnlyDictionary<string, string>? variables = null,
        string target = "podinfo",
        string? ingress = "podinfo-ingress",
        string? route = "podinfo-route") => new()
        {
            Name = "podinfo-canary",
            Namespace = "test",
            Target = target,
            Service = "podinfo-svc",
            Ingress = ingress,
            Route = route,
            Interval = TimeSpan.FromSeconds(90),
            Variables = variables ?? new Dictionary<string, string>(),
        };

    [Fact]
    public void Render_EveryVariable_SubstitutesItsValue()
    {
        var template = PromQlTemplate.Parse(
            "{{ name }}|{{ namespace }}|{{ target }}|{{ service }}|{{ ingress }}|{{ route }}|{{ interval }}|{{ variables.code }}",
            Source);

        var text = template.Render(Context(new Dictionary<string, string> { ["code"] = "5.*" }));

        text.Should().Be("podinfo-canary|test|podinfo|podinfo-svc|podinfo-ingress|podinfo-route|1m30s|5.*");
    }

    [Fact]
    public void Render_WhitespaceInsideBraces_IsTolerated()
    {
        var template = PromQlTemplate.Parse("a{{namespace}}b{{   target\t}}c{{ variables.x}}d", Source);

        var text = template.Render(Context(new Dictionary<string, string> { ["x"] = "y" }));

        text.Should().Be("atestbpodinfocyd");
    }

    [Fact]
    public void Render_MultiLineQuery_CollapsesWhitespace()
    {
        var template = PromQlTemplate.Parse(
            """

              sum(rate(requests{namespace="{{ namespace }}"}[{{ interval }}]))
                /
              sum(rate(requests[{{ interval }}]))

            """,
            Source);

        var text = template.Render(Context());

        text.Should().Be("sum(rate(requests{namespace=\"test\"}[1m30s])) / sum(rate(requests[1m30s]))");
    }

    [Fact]
    public void Parse_UnknownVariable_ThrowsNamingVariableAndTemplate()
    {
        var act = () => PromQlTemplate.Parse("sum(x{a=\"{{ foo }}\"})", Source);

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("unknown template variable \"foo\" in MetricTemplate \"error-rate\"*")
            .Which.Variable.Should().Be("foo");
    }

    [Fact]
    public void Parse_GoDotSyntax_IsUnknownVariable()
    {
        var act = () => PromQlTemplate.Parse("{{ .namespace }}", Source);

        act.Should().Throw<MetricTemplateException>().WithMessage("unknown template variable \".namespace\"*");
    }

    [Fact]
    public void Parse_UnterminatedPlaceholder_Throws()
    {
        var act = () => PromQlTemplate.Parse("sum(x{a=\"{{ namespace \"})", Source);

        act.Should().Throw<MetricTemplateException>().WithMessage("unterminated placeholder \"{{ namespace*\" in MetricTemplate \"error-rate\"*");
    }

    [Fact]
    public void Parse_EmptyPlaceholder_Throws()
    {
        var act = () => PromQlTemplate.Parse("x{{  }}", Source);

        act.Should().Throw<MetricTemplateException>().WithMessage("empty placeholder*MetricTemplate \"error-rate\"*");
    }

    [Fact]
    public void Parse_InvalidVariableName_ThrowsNamingIt()
    {
        var act = () => PromQlTemplate.Parse("{{ variables.9lives }}", Source);

        act.Should().Throw<MetricTemplateException>().WithMessage("invalid template variable \"variables.9lives\"*");
    }

    [Fact]
    public void Parse_EmptyQuery_Throws()
    {
        var act = () => PromQlTemplate.Parse("  \n ", Source);

        act.Should().Throw<MetricTemplateException>().WithMessage("MetricTemplate \"error-rate\" has an empty query.");
    }

    [Fact]
    public void Placeholders_RepeatedVariables_ListedOnce()
    {
        var template = PromQlTemplate.Parse("{{ namespace }} {{ interval }} {{namespace}} {{ variables.a }}", Source);

        template.Placeholders.Should().Equal("namespace", "interval", "variables.a");
    }

    [Fact]
    public void Render_MissingTemplateVariable_ThrowsNamingIt()
    {
        var template = PromQlTemplate.Parse("x{code=~\"{{ variables.code }}\"}", Source);

        var act = () => template.Render(Context());

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("unknown template variable \"variables.code\" in MetricTemplate \"error-rate\": the metric check sets no templateVariables entry \"code\".");
    }

    [Theory]
    [InlineData("5\"} or vector(1) or x{a=\"")]
    [InlineData("a\\b")]
    [InlineData("a'b")]
    [InlineData("a`b")]
    [InlineData("a{b")]
    [InlineData("a}b")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    public void Render_VariableThatCouldInjectPromQl_ThrowsNamingIt(string value)
    {
        var template = PromQlTemplate.Parse("x{code=~\"{{ variables.code }}\"}", Source);

        var act = () => template.Render(Context(new Dictionary<string, string> { ["code"] = value }));

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("template variable \"variables.code\" in MetricTemplate \"error-rate\" contains *")
            .Which.Variable.Should().Be("variables.code");
    }

    [Fact]
    public void Render_VariableWithRegexAndSpaces_IsKept()
    {
        var template = PromQlTemplate.Parse("x{code=~\"{{ variables.code }}\"}", Source);

        var text = template.Render(Context(new Dictionary<string, string> { ["code"] = "5..|4[0-9]+ a  b" }));

        text.Should().Be("x{code=~\"5..|4[0-9]+ a  b\"}");
    }

    [Theory]
    [InlineData("Podinfo")]
    [InlineData("pod\"info")]
    [InlineData("pod_info")]
    [InlineData("-podinfo")]
    [InlineData("")]
    public void Render_TargetThatIsNotAKubernetesName_ThrowsNamingIt(string target)
    {
        var template = PromQlTemplate.Parse("x{pod=~\"{{ target }}-.*\"}", Source);

        var act = () => template.Render(Context(target: target));

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("template variable \"target\" in MetricTemplate \"error-rate\" has the value *not a Kubernetes name*")
            .Which.Variable.Should().Be("target");
    }

    [Fact]
    public void Render_IngressWithoutIngressRef_ThrowsNamingIt()
    {
        var template = PromQlTemplate.Parse("x{ingress=\"{{ ingress }}\"}", Source);

        var act = () => template.Render(Context(ingress: null));

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("template variable \"ingress\" in MetricTemplate \"error-rate\" has no value: the canary has no spec.ingressRef.");
    }

    [Fact]
    public void Render_RouteWithoutRouteObject_ThrowsNamingIt()
    {
        var template = PromQlTemplate.Parse("x{route=\"{{ route }}\"}", Source);

        var act = () => template.Render(Context(route: null));

        act.Should().Throw<MetricTemplateException>().WithMessage("template variable \"route\" in MetricTemplate \"error-rate\" has no value*");
    }

    [Fact]
    public void Render_UnusedUnsafeVariable_IsIgnored()
    {
        var template = PromQlTemplate.Parse("x{a=\"{{ variables.used }}\"}", Source);

        var text = template.Render(Context(new Dictionary<string, string> { ["used"] = "ok", ["unused"] = "\"" }));

        text.Should().Be("x{a=\"ok\"}");
    }
}
