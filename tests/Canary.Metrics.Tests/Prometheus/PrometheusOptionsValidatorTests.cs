using Canary.Metrics.Prometheus;
using Canary.Metrics.Tests.Support;

namespace Canary.Metrics.Tests.Prometheus;

public sealed class PrometheusOptionsValidatorTests
{
    private static readonly Uri Address = new("http://prometheus.monitoring:9090");

    private static IEnumerable<string> Failures(PrometheusOptions options)
    {
        var result = new PrometheusOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures! : [];
    }

    [Fact]
    public void Validate_AddressOnly_Succeeds()
    {
        var result = new PrometheusOptionsValidator().Validate(null, new PrometheusOptions { Address = Address });

        result.Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_NoAddress_NamesAddress()
    {
        Failures(new PrometheusOptions()).Should().ContainSingle()
            .Which.Should().StartWith("PrometheusOptions.Address is required");
    }

    [Fact]
    public void Validate_RelativeAddress_SaysAbsolute()
    {
        Failures(new PrometheusOptions { Address = new Uri("/prometheus", UriKind.Relative) }).Should().ContainSingle()
            .Which.Should().StartWith("PrometheusOptions.Address must be an absolute URL");
    }

    [Fact]
    public void Validate_FtpAddress_SaysHttpOrHttps()
    {
        Failures(new PrometheusOptions { Address = new Uri("ftp://prometheus:9090") }).Should().ContainSingle()
            .Which.Should().Be("PrometheusOptions.Address must use http or https, not ftp.");
    }

    [Fact]
    public void Validate_AddressWithCredentials_RefusedWithoutEchoingThem()
    {
        var failure = Failures(new PrometheusOptions { Address = new Uri("http://admin:hunter2@prometheus:9090") }).Should().ContainSingle().Subject;

        failure.Should().StartWith("PrometheusOptions.Address must not carry credentials").And.NotContain("hunter2");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public void Validate_NonPositiveTimeout_NamesQueryTimeout(int milliseconds)
    {
        Failures(new PrometheusOptions { Address = Address, QueryTimeout = TimeSpan.FromMilliseconds(milliseconds) }).Should().ContainSingle()
            .Which.Should().StartWith("PrometheusOptions.QueryTimeout must be greater than zero");
    }

    [Fact]
    public void Validate_TokenAndBasicAuth_RefusedWithoutEchoingSecrets()
    {
        var options = new PrometheusOptions { Address = Address, BearerToken = "tok-123", Username = "u", Password = "pw-456" };

        var failure = Failures(options).Should().ContainSingle().Subject;

        failure.Should().Be("PrometheusOptions: set either BearerToken or Username and Password, not both.");
    }

    [Fact]
    public void Validate_PasswordWithoutUsername_NamesUsername()
    {
        Failures(new PrometheusOptions { Address = Address, Password = "pw" }).Should().ContainSingle()
            .Which.Should().Be("PrometheusOptions.Password is set but Username is not: basic authentication needs both.");
    }

    [Fact]
    public void Validate_TokenWithLineBreak_RefusedWithoutEchoingIt()
    {
        var failure = Failures(new PrometheusOptions { Address = Address, BearerToken = "abc\ndef" }).Should().ContainSingle().Subject;

        failure.Should().StartWith("PrometheusOptions.BearerToken must not contain whitespace").And.NotContain("abc");
    }

    [Fact]
    public void Validate_CaFileAndCaPem_RefusesBoth()
    {
        Failures(new PrometheusOptions { Address = Address, CaFile = "/x.pem", CaPem = "-----BEGIN CERTIFICATE-----" }).Should().ContainSingle()
            .Which.Should().Be("PrometheusOptions: set either CaFile or CaPem, not both.");
    }

    [Fact]
    public void Validate_MissingCaFile_NamesPath()
    {
        Failures(new PrometheusOptions { Address = Address, CaFile = "/nonexistent/ca.pem" }).Should().ContainSingle()
            .Which.Should().Be("PrometheusOptions.CaFile \"/nonexistent/ca.pem\" does not exist.");
    }

    [Fact]
    public void Validate_CaPemWithoutCertificate_SaysSo()
    {
        Failures(new PrometheusOptions { Address = Address, CaPem = "not a certificate" }).Should().ContainSingle()
            .Which.Should().Be("PrometheusOptions.CaPem holds no PEM certificate.");
    }

    [Fact]
    public void Validate_ValidCaFile_Succeeds()
    {
        using var certificates = TestCertificates.Create();
        var path = Path.Combine(Path.GetTempPath(), $"canary-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, certificates.AuthorityPem);
        try
        {
            Failures(new PrometheusOptions { Address = Address, CaFile = path }).Should().BeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_CaWithInsecureSkipVerify_RefusesBoth()
    {
        using var certificates = TestCertificates.Create();

        Failures(new PrometheusOptions { Address = Address, CaPem = certificates.AuthorityPem, InsecureSkipVerify = true }).Should().ContainSingle()
            .Which.Should().StartWith("PrometheusOptions.InsecureSkipVerify turns off the certificate checks");
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        Failures(new PrometheusOptions { QueryTimeout = TimeSpan.Zero, Password = "x" }).Should().HaveCount(3);
    }
}
