using Canary.Metrics.Graphite;

namespace Canary.Metrics.Tests.Graphite;

public sealed class GraphiteOptionsValidatorTests
{
    private static readonly Uri Address = new("http://graphite.monitoring");

    private static IEnumerable<string> Failures(GraphiteOptions options)
    {
        var result = new GraphiteOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures! : [];
    }

    [Fact]
    public void Validate_AddressOnly_Succeeds()
    {
        new GraphiteOptionsValidator().Validate(null, new GraphiteOptions { Address = Address }).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_NoAddress_NamesAddress()
    {
        Failures(new GraphiteOptions()).Should().ContainSingle().Which.Should().StartWith("GraphiteOptions.Address is required");
    }

    [Fact]
    public void Validate_FtpAddress_SaysHttpOrHttps()
    {
        Failures(new GraphiteOptions { Address = new Uri("ftp://graphite") }).Should().ContainSingle()
            .Which.Should().Be("GraphiteOptions.Address must use http or https, not ftp.");
    }

    [Fact]
    public void Validate_PasswordWithoutUsername_NamesUsername()
    {
        var failure = Failures(new GraphiteOptions { Address = Address, Password = "hunter2" }).Should().ContainSingle().Subject;

        failure.Should().Be("GraphiteOptions.Password is set but Username is not: basic authentication needs both.").And.NotContain("hunter2");
    }

    [Fact]
    public void Validate_UsernameWithColon_NamesUsername()
    {
        Failures(new GraphiteOptions { Address = Address, Username = "a:b", Password = "p" }).Should().ContainSingle()
            .Which.Should().StartWith("GraphiteOptions.Username must not contain ':'");
    }

    [Fact]
    public void Validate_ZeroTimeout_NamesQueryTimeout()
    {
        Failures(new GraphiteOptions { Address = Address, QueryTimeout = TimeSpan.Zero }).Should().ContainSingle()
            .Which.Should().StartWith("GraphiteOptions.QueryTimeout must be greater than zero");
    }
}
