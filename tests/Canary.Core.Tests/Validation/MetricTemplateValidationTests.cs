using Canary.Model;
using Canary.Validation;

namespace Canary.Core.Tests.Validation;

public sealed class MetricTemplateValidationTests
{
    [Fact]
    public void Validate_ValidTemplate_ReturnsNoErrors()
    {
        var errors = CanarySpecValidator.Validate(ValidCanary.ErrorRate);

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Validate_TemplateWithoutQuery_ReportsQuery()
    {
        var template = ValidCanary.ErrorRate with { Query = "  " };

        CanarySpecValidator.Validate(template).Should().Equal(new ValidationError("spec.query", "is required"));
    }

    [Fact]
    public void Validate_UnsupportedProviderType_ListsSupportedOnes()
    {
        var template = ValidCanary.ErrorRate with { Provider = new MetricProviderSpec { Type = "influxdb" } };

        CanarySpecValidator.Validate(template).Should().Equal(new ValidationError(
            "spec.provider.type",
            "\"influxdb\" is not a supported metric provider (supported: prometheus, datadog, newrelic, graphite, cloudwatch)"));
    }

    [Theory]
    [InlineData("datadog")]
    [InlineData("newrelic")]
    [InlineData("graphite")]
    [InlineData("cloudwatch")]
    public void Validate_SupportedProviderType_IsAccepted(string type)
    {
        var template = ValidCanary.ErrorRate with { Provider = new MetricProviderSpec { Type = type } };

        CanarySpecValidator.Validate(template).Should().BeEmpty();
    }

    [Theory]
    [InlineData("prometheus:9090")]
    [InlineData("/api/v1")]
    public void Validate_AddressNotAbsoluteHttp_ReportsAddress(string address)
    {
        var template = ValidCanary.ErrorRate with { Provider = new MetricProviderSpec { Address = new Uri(address, UriKind.RelativeOrAbsolute) } };

        CanarySpecValidator.Validate(template).Should().Equal(
            new ValidationError("spec.provider.address", $"must be an absolute http or https URL (got \"{address}\")"));
    }
}
