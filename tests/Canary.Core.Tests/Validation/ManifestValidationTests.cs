using Canary.Model;
using Canary.Specs;
using Canary.Validation;

namespace Canary.Core.Tests.Validation;

public sealed class ManifestValidationTests
{
    [Fact]
    public void Validate_OneCanaryAndItsTemplate_ReturnsNoErrors()
    {
        var manifest = new CanaryManifest([ValidCanary.Resource], [ValidCanary.ErrorRate]);

        CanarySpecValidator.Validate(manifest).Should().BeEmpty();
    }

    [Fact]
    public void Validate_OneCanary_PathsHaveNoPrefix()
    {
        var canary = ValidCanary.WithAnalysis(a => a with { Threshold = 0 });

        var errors = CanarySpecValidator.Validate(new CanaryManifest([canary], [ValidCanary.ErrorRate]));

        errors.Should().Equal(new ValidationError("spec.analysis.threshold", "must be at least 1"));
    }

    [Fact]
    public void Validate_SeveralCanaries_PrefixesPathsWithTheCanarysName()
    {
        var broken = ValidCanary.WithAnalysis(a => a with { Threshold = 0 }) with { Id = new CanaryId("backend", "test") };

        var errors = CanarySpecValidator.Validate(new CanaryManifest([ValidCanary.Resource, broken], [ValidCanary.ErrorRate]));

        errors.Should().Equal(new ValidationError("backend: spec.analysis.threshold", "must be at least 1"));
    }

    [Fact]
    public void Validate_TemplateNextToACanary_PrefixesTemplatePaths()
    {
        var template = ValidCanary.ErrorRate with { Query = string.Empty };

        var errors = CanarySpecValidator.Validate(new CanaryManifest([ValidCanary.Resource], [template]));

        errors.Should().Equal(new ValidationError("error-rate: spec.query", "is required"));
    }

    [Fact]
    public void Validate_TemplateMissingFromManifest_ReportsTemplateRef()
    {
        var errors = CanarySpecValidator.Validate(new CanaryManifest([ValidCanary.Resource], []));

        errors.Should().Equal(new ValidationError("spec.analysis.metrics[1].templateRef", "no MetricTemplate \"error-rate\" in namespace \"test\""));
    }

    [Fact]
    public void Validate_DuplicateCanary_ReportsTheSecond()
    {
        var errors = CanarySpecValidator.Validate(new CanaryManifest([ValidCanary.Resource, ValidCanary.Resource], [ValidCanary.ErrorRate]));

        errors.Should().Equal(new ValidationError("podinfo: metadata.name", "duplicate Canary \"podinfo\" in namespace \"test\""));
    }

    [Fact]
    public void Validate_DuplicateTemplate_ReportsTheSecond()
    {
        var errors = CanarySpecValidator.Validate(new CanaryManifest([ValidCanary.Resource], [ValidCanary.ErrorRate, ValidCanary.ErrorRate]));

        errors.Should().Equal(new ValidationError("error-rate: metadata.name", "duplicate MetricTemplate \"error-rate\" in namespace \"test\""));
    }
}
