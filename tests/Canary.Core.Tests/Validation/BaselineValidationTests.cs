using Canary.Model;
using Canary.Validation;

namespace Canary.Core.Tests.Validation;

public sealed class BaselineValidationTests
{
    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    [InlineData("gatewayapi")]
    [InlineData("smi:v1alpha2")]
    [InlineData("linkerd")]
    [InlineData("kubernetes")]
    public void Validate_BaselineWithProviderThatCannotRouteToIt_ReportsAnalysisBaseline(string provider)
    {
        var canary = WithBaseline(provider);

        CanarySpecValidator.Validate(canary, ValidCanary.Templates).Should().Equal(new ValidationError(
            "spec.analysis.baseline",
            $"provider \"{provider}\" cannot route traffic to a baseline workload; use provider label-ratio, or set analysis.baseline to false"));
    }

    [Fact]
    public void Validate_BaselineWithLabelRatio_IsAccepted()
    {
        CanarySpecValidator.Validate(WithBaseline(TrafficProviders.LabelRatio), ValidCanary.Templates).Should().BeEmpty();
    }

    [Fact]
    public void Validate_BaselineWithoutProvider_IsLeftToTheHost()
    {
        CanarySpecValidator.Validate(WithBaseline(null), ValidCanary.Templates).Should().BeEmpty();
    }

    private static CanaryResource WithBaseline(string? provider) => ValidCanary.With(s => s with
    {
        Provider = provider,
        IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", "podinfo"),
        // Iterations rather than weights, which the kubernetes provider refuses on their own account.
        Analysis = s.Analysis with { StepWeight = null, MaxWeight = null, Iterations = 5, Baseline = true },
    });
}
