using Canary.Metrics.NewRelic;

namespace Canary.Metrics.Tests.NewRelic;

public sealed class NewRelicOptionsValidatorTests
{
    private static IEnumerable<string> Failures(NewRelicOptions options)
    {
        var result = new NewRelicOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures! : [];
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        new NewRelicOptionsValidator().Validate(null, new NewRelicOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Defaults_Address_IsTheUsInsightsApi()
    {
        new NewRelicOptions().Address.Should().Be(new Uri("https://insights-api.newrelic.com"));
    }

    [Fact]
    public void Validate_AccountAndKey_Succeed()
    {
        var options = new NewRelicOptions { AccountId = "12345", QueryKey = "key", Address = NewRelicOptions.EuropeAddress };

        new NewRelicOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_NoAddress_NamesAddress()
    {
        Failures(new NewRelicOptions { Address = null }).Should().ContainSingle().Which.Should().StartWith("NewRelicOptions.Address is required");
    }

    [Fact]
    public void Validate_AccountNotANumber_NamesAccountId()
    {
        Failures(new NewRelicOptions { AccountId = "acme", QueryKey = "key" }).Should().ContainSingle()
            .Which.Should().Be("NewRelicOptions.AccountId must be the account's number, digits only.");
    }

    [Fact]
    public void Validate_AccountWithoutKey_NamesQueryKey()
    {
        Failures(new NewRelicOptions { AccountId = "12345" }).Should().ContainSingle()
            .Which.Should().Be("NewRelicOptions.AccountId is set but QueryKey is not: the Insights query API needs both.");
    }

    [Fact]
    public void Validate_KeyWithSpace_RefusedWithoutEchoingIt()
    {
        var failure = Failures(new NewRelicOptions { AccountId = "12345", QueryKey = "NRIQ abc" }).Should().ContainSingle().Subject;

        failure.Should().Be("NewRelicOptions.QueryKey must not contain whitespace, line breaks or control characters.").And.NotContain("NRIQ");
    }

    [Fact]
    public void Validate_TimeoutOverAnHour_NamesQueryTimeout()
    {
        Failures(new NewRelicOptions { QueryTimeout = TimeSpan.FromHours(2) }).Should().ContainSingle()
            .Which.Should().StartWith("NewRelicOptions.QueryTimeout must be greater than zero and at most 01:00:00");
    }
}
