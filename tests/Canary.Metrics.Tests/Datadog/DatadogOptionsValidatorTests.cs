using Canary.Metrics.Datadog;

namespace Canary.Metrics.Tests.Datadog;

public sealed class DatadogOptionsValidatorTests
{
    private static IEnumerable<string> Failures(DatadogOptions options)
    {
        var result = new DatadogOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures! : [];
    }

    [Fact]
    public void Validate_NoKeys_Succeeds()
    {
        new DatadogOptionsValidator().Validate(null, new DatadogOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_KeysAndSite_Succeeds()
    {
        var options = new DatadogOptions { ApiKey = "a", ApplicationKey = "b", Site = "us3.datadoghq.com" };

        new DatadogOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_AddressAndSite_NamesBoth()
    {
        Failures(new DatadogOptions { Address = new Uri("https://proxy:8443"), Site = "datadoghq.eu" }).Should().ContainSingle()
            .Which.Should().Be("DatadogOptions: set either Address or Site, not both.");
    }

    [Theory]
    [InlineData("https://datadoghq.eu")]
    [InlineData("datadoghq")]
    [InlineData("datadoghq.eu/")]
    public void Validate_SiteNotADomain_NamesSite(string site)
    {
        Failures(new DatadogOptions { Site = site }).Should().ContainSingle()
            .Which.Should().StartWith("DatadogOptions.Site must be a Datadog site's domain");
    }

    [Fact]
    public void Validate_SiteWithAppPrefix_SuggestsTheDomain()
    {
        Failures(new DatadogOptions { Site = "app.datadoghq.eu" }).Should().ContainSingle()
            .Which.Should().Be("DatadogOptions.Site is the site's domain without \"app.\" or \"api.\", for example datadoghq.eu.");
    }

    [Fact]
    public void Validate_ApiKeyWithoutApplicationKey_NamesApplicationKey()
    {
        Failures(new DatadogOptions { ApiKey = "a" }).Should().ContainSingle()
            .Which.Should().Be("DatadogOptions.ApiKey is set but ApplicationKey is not: Datadog's query API needs both.");
    }

    [Fact]
    public void Validate_ApplicationKeyWithoutApiKey_NamesApiKey()
    {
        Failures(new DatadogOptions { ApplicationKey = "b" }).Should().ContainSingle()
            .Which.Should().Be("DatadogOptions.ApplicationKey is set but ApiKey is not: Datadog's query API needs both.");
    }

    [Fact]
    public void Validate_KeyWithLineBreak_RefusedWithoutEchoingIt()
    {
        var failure = Failures(new DatadogOptions { ApiKey = "abc123secret\n", ApplicationKey = "b" }).Should().ContainSingle().Subject;

        failure.Should().Be("DatadogOptions.ApiKey must not contain whitespace, line breaks or control characters.").And.NotContain("abc123secret");
    }

    [Fact]
    public void Validate_AddressWithCredentials_RefusedWithoutEchoingThem()
    {
        var failure = Failures(new DatadogOptions { Address = new Uri("https://user:hunter2@proxy") }).Should().ContainSingle().Subject;

        failure.Should().StartWith("DatadogOptions.Address must not carry credentials").And.NotContain("hunter2");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveTimeout_NamesQueryTimeout(int seconds)
    {
        Failures(new DatadogOptions { QueryTimeout = TimeSpan.FromSeconds(seconds) }).Should().ContainSingle()
            .Which.Should().StartWith("DatadogOptions.QueryTimeout must be greater than zero");
    }

    [Fact]
    public void EffectiveAddress_NothingSet_IsTheApiOfDatadogHq()
    {
        new DatadogOptions().EffectiveAddress().Should().Be(new Uri("https://api.datadoghq.com/"));
    }

    [Fact]
    public void EffectiveAddress_Site_IsTheApiOfThatSite()
    {
        new DatadogOptions { Site = "datadoghq.eu" }.EffectiveAddress().Should().Be(new Uri("https://api.datadoghq.eu/"));
    }
}
