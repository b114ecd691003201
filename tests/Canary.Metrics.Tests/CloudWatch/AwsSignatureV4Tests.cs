using System.Net.Http.Headers;
using System.Text;
using Canary.Metrics.CloudWatch;

namespace Canary.Metrics.Tests.CloudWatch;

/// <summary>
/// Checks the signer against the example that AWS publishes for Signature Version 4 (IAM ListUsers, signed on
/// 2015-08-30 at 12:36:00 UTC with the documentation's example keys), and against the plain GET of its test suite.
/// </summary>
public sealed class AwsSignatureV4Tests
{
    private const string AccessKeyId = "AKIDEXAMPLE";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";
    private const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly DateTimeOffset SigningTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static readonly KeyValuePair<string, string>[] ListUsersHeaders =
    [
        new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        new("Host", "iam.amazonaws.com"),
        new("X-Amz-Date", AmzDate),
    ];

    [Fact]
    public void CanonicalRequest_ListUsersExample_HashesToTheDocumentedValue()
    {
        var (canonical, signedHeaders) = AwsSignatureV4.CanonicalRequest(
            "GET", "/", AwsSignatureV4.CanonicalQuery("?Action=ListUsers&Version=2010-05-08"), ListUsersHeaders, EmptyPayloadHash);

        signedHeaders.Should().Be("content-type;host;x-amz-date");
        AwsSignatureV4.HexHash(Encoding.UTF8.GetBytes(canonical)).Should().Be("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    }

    [Fact]
    public void SigningKey_ListUsersExample_IsTheDocumentedKey()
    {
        Convert.ToHexStringLower(AwsSignatureV4.SigningKey(SecretAccessKey, "20150830", "us-east-1", "iam"))
            .Should().Be("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    }

    [Fact]
    public void Signature_ListUsersExample_IsTheDocumentedSignature()
    {
        var (canonical, _) = AwsSignatureV4.CanonicalRequest(
            "GET", "/", "Action=ListUsers&Version=2010-05-08", ListUsersHeaders, EmptyPayloadHash);
        var stringToSign = AwsSignatureV4.StringToSign(AmzDate, "20150830/us-east-1/iam/aws4_request", canonical);

        AwsSignatureV4.Signature(AwsSignatureV4.SigningKey(SecretAccessKey, "20150830", "us-east-1", "iam"), stringToSign)
            .Should().Be("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    [Fact]
    public void Sign_ListUsersRequest_SetsTheDocumentedAuthorizationHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };

        AwsSignatureV4.Sign(request, [], new AwsCredentials(AccessKeyId, SecretAccessKey, null), "us-east-1", "iam", SigningTime);

        request.Headers.GetValues("Authorization").Should().ContainSingle().Which.Should().Be(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
        request.Headers.GetValues("X-Amz-Date").Should().Equal(AmzDate);
        request.Headers.Host.Should().Be("iam.amazonaws.com");
    }

    [Fact]
    public void Sign_TestSuitesGetVanilla_SignsToTheSuitesAnswer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        AwsSignatureV4.Sign(request, [], new AwsCredentials(AccessKeyId, SecretAccessKey, null), "us-east-1", "service", SigningTime);

        request.Headers.GetValues("Authorization").Single().Should().EndWith(
            "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void Sign_SessionToken_SendsAndSignsIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://monitoring.eu-west-1.amazonaws.com/");

        AwsSignatureV4.Sign(request, "{}"u8, new AwsCredentials(AccessKeyId, SecretAccessKey, "session-token"), "eu-west-1", "monitoring", SigningTime);

        request.Headers.GetValues("X-Amz-Security-Token").Should().Equal("session-token");
        request.Headers.GetValues("Authorization").Single().Should().Contain("SignedHeaders=host;x-amz-date;x-amz-security-token,");
    }

    [Fact]
    public void Sign_NonDefaultPort_SignsHostWithPort()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:8443/");

        AwsSignatureV4.Sign(request, [], new AwsCredentials(AccessKeyId, SecretAccessKey, null), "us-east-1", "monitoring", SigningTime);

        request.Headers.Host.Should().Be("127.0.0.1:8443");
    }

    [Fact]
    public void CanonicalQuery_UnsortedAndReserved_SortsAndEncodesTheAwsWay()
    {
        AwsSignatureV4.CanonicalQuery("?b=2&a=x%20y&a=1&c=a/b~").Should().Be("a=1&a=x%20y&b=2&c=a%2Fb~");
    }

    [Fact]
    public void CanonicalRequest_HeaderValueWithRunsOfSpaces_CollapsesThem()
    {
        var (canonical, _) = AwsSignatureV4.CanonicalRequest(
            "GET", "/", string.Empty, [new("X-Amz-Meta", "  a   b  "), new("Host", "h")], EmptyPayloadHash);

        canonical.Should().Contain("\nx-amz-meta:a b\n");
    }
}
