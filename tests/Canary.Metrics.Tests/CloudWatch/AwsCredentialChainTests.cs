using System.Net;
using Canary.Metrics.CloudWatch;
using Canary.Metrics.CloudWatch.Credentials;
using Canary.Metrics.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Canary.Metrics.Tests.CloudWatch;

public sealed class AwsCredentialChainTests : IDisposable
{
    private const string KeyId = "AKIAAMBIENTEXAMPLE01";
    private const string Secret = "ambient/secret+key+EXAMPLE000000000000001";
    private const string Token = "ambient-session-token-EXAMPLE01";
    private const string WebToken = "eyJ.web-identity-token.EXAMPLE";

    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal) { ["AWS_EC2_METADATA_DISABLED"] = "true" };
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ManualTimeProvider _clock = new();
    private readonly HttpClient _client = new();

    public void Dispose() => _client.Dispose();

    private AwsCredentialChain Chain() =>
        new(new AwsEnvironment(v => _variables.GetValueOrDefault(v), f => _files.GetValueOrDefault(f), "/home/user"), _clock);

    private ValueTask<AwsCredentials?> GetAsync() => Chain().GetAsync(_client, "eu-west-1", CancellationToken.None);

    private static string StsAnswer(DateTimeOffset expiration) =>
        $"""
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Credentials>
              <AccessKeyId>{KeyId}</AccessKeyId>
              <SecretAccessKey>{Secret}</SecretAccessKey>
              <SessionToken>{Token}</SessionToken>
              <Expiration>{expiration:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
        </AssumeRoleWithWebIdentityResponse>
        """;

    private static string CredentialJson(DateTimeOffset expiration) =>
        $$"""{"Code":"Success","AccessKeyId":"{{KeyId}}","SecretAccessKey":"{{Secret}}","Token":"{{Token}}","Expiration":"{{expiration:yyyy-MM-ddTHH:mm:ssZ}}"}""";

    [Fact]
    public async Task GetAsync_NothingConfigured_ReturnsNull()
    {
        var credentials = await GetAsync();

        credentials.Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_EnvironmentKeys_ReturnsThemWithTheSessionToken()
    {
        _variables["AWS_ACCESS_KEY_ID"] = KeyId;
        _variables["AWS_SECRET_ACCESS_KEY"] = Secret;
        _variables["AWS_SESSION_TOKEN"] = Token;

        var credentials = await GetAsync();

        credentials.Should().Be(new AwsCredentials(KeyId, Secret, Token));
    }

    [Fact]
    public async Task GetAsync_EnvironmentWithoutSecretKey_ThrowsNamingTheVariable()
    {
        _variables["AWS_ACCESS_KEY_ID"] = KeyId;

        var act = async () => await GetAsync();

        (await act.Should().ThrowAsync<CloudWatchQueryException>()).WithMessage("*AWS_SECRET_ACCESS_KEY is not set*");
    }

    [Fact]
    public async Task GetAsync_EnvironmentAndFile_PrefersTheEnvironment()
    {
        _variables["AWS_ACCESS_KEY_ID"] = KeyId;
        _variables["AWS_SECRET_ACCESS_KEY"] = Secret;
        _files["/home/user/.aws/credentials"] = "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n";

        var credentials = await GetAsync();

        credentials!.AccessKeyId.Should().Be(KeyId);
    }

    [Fact]
    public async Task GetAsync_SharedCredentialsFile_ReadsTheDefaultProfile()
    {
        _files["/home/user/.aws/credentials"] =
            $"# keys\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n\n[default]\naws_access_key_id = {KeyId}\naws_secret_access_key={Secret}\n";

        var credentials = await GetAsync();

        credentials.Should().Be(new AwsCredentials(KeyId, Secret, null));
    }

    [Fact]
    public async Task GetAsync_ProfileInConfigFile_ReadsTheProfileSection()
    {
        _variables["AWS_PROFILE"] = "metrics";
        _variables["AWS_CONFIG_FILE"] = "/etc/aws/config";
        _files["/etc/aws/config"] = $"[default]\nregion = eu-west-1\n[profile metrics]\naws_access_key_id = {KeyId}\naws_secret_access_key = {Secret}\naws_session_token = {Token}\n";

        var credentials = await GetAsync();

        credentials.Should().Be(new AwsCredentials(KeyId, Secret, Token));
    }

    [Fact]
    public async Task GetAsync_ProfileNowhere_ThrowsNamingTheProfileAndFiles()
    {
        _variables["AWS_PROFILE"] = "missing";

        var act = async () => await GetAsync();

        (await act.Should().ThrowAsync<CloudWatchQueryException>())
            .WithMessage("*AWS_PROFILE names the profile \"missing\"*/home/user/.aws/credentials*/home/user/.aws/config*");
    }

    [Fact]
    public async Task GetAsync_WebIdentity_AssumesTheRoleWithTheTokenAtSts()
    {
        await using var sts = await FakeVendorServer.StartAsync(context =>
            FakeVendorServer.Respond(context, HttpStatusCode.OK, "text/xml", StsAnswer(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        ConfigureWebIdentity(sts.Address);

        var credentials = await GetAsync();

        credentials.Should().Be(new AwsCredentials(KeyId, Secret, Token, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var form = System.Web.HttpUtility.ParseQueryString(sts.Requests.Single().Body);
        form["Action"].Should().Be("AssumeRoleWithWebIdentity");
        form["RoleArn"].Should().Be("arn:aws:iam::123456789012:role/canary");
        form["WebIdentityToken"].Should().Be(WebToken);
        form["RoleSessionName"].Should().Be("ci-session");
    }

    [Fact]
    public async Task GetAsync_StsRefuses_ThrowsWithItsCodeButNotTheToken()
    {
        const string Refusal = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized for token " + WebToken + "</Message></Error></ErrorResponse>";
        await using var sts = await FakeVendorServer.StartAsync(context => FakeVendorServer.Respond(context, HttpStatusCode.Forbidden, "text/xml", Refusal));
        ConfigureWebIdentity(sts.Address);

        var act = async () => await GetAsync();

        var thrown = (await act.Should().ThrowAsync<CloudWatchQueryException>()).Which;
        thrown.Message.Should().Contain("403 AccessDenied").And.NotContain(WebToken);
        thrown.ErrorType.Should().Be("AccessDenied");
    }

    [Fact]
    public async Task GetAsync_WebIdentityWithoutTokenFile_ThrowsNamingTheVariable()
    {
        _variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/canary";

        var act = async () => await GetAsync();

        (await act.Should().ThrowAsync<CloudWatchQueryException>()).WithMessage("*AWS_WEB_IDENTITY_TOKEN_FILE is not set*");
    }

    [Fact]
    public async Task GetAsync_ContainerFullUriOnLoopback_SendsTheTokenFromItsFile()
    {
        await using var agent = await FakeVendorServer.StartAsync(context =>
            FakeVendorServer.Respond(context, HttpStatusCode.OK, "application/json", CredentialJson(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        _variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(agent.Address, "v1/credentials").AbsoluteUri;
        _variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/var/run/secrets/pods.eks.amazonaws.com/token";
        _files["/var/run/secrets/pods.eks.amazonaws.com/token"] = "pod-identity-token\n";

        var credentials = await GetAsync();

        credentials!.SessionToken.Should().Be(Token);
        var request = agent.Requests.Single();
        request.Path.Should().Be("/v1/credentials");
        request.Header("Authorization").Should().Be("pod-identity-token");
    }

    [Fact]
    public async Task GetAsync_ContainerFullUriOverHttpElsewhere_ThrowsNamingTheVariable()
    {
        _variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://credentials.example.com/v1/credentials";

        var act = async () => await GetAsync();

        (await act.Should().ThrowAsync<CloudWatchQueryException>()).WithMessage("AWS_CONTAINER_CREDENTIALS_FULL_URI*must be https*");
    }

    [Fact]
    public async Task GetAsync_InstanceMetadata_UsesASessionTokenThenReadsTheRolesCredentials()
    {
        await using var imds = await FakeVendorServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/latest/api/token" when context.Request.Method == "PUT" => FakeVendorServer.Respond(context, HttpStatusCode.OK, "text/plain", "imds-token"),
            "/latest/meta-data/iam/security-credentials/" => FakeVendorServer.Respond(context, HttpStatusCode.OK, "text/plain", "canary-role\n"),
            "/latest/meta-data/iam/security-credentials/canary-role" =>
                FakeVendorServer.Respond(context, HttpStatusCode.OK, "application/json", CredentialJson(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))),
            _ => FakeVendorServer.Respond(context, HttpStatusCode.NotFound, "text/plain", "no"),
        });
        _variables.Remove("AWS_EC2_METADATA_DISABLED");
        _variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Address.AbsoluteUri;

        var credentials = await GetAsync();

        credentials!.AccessKeyId.Should().Be(KeyId);
        imds.Requests.Should().HaveCount(3);
        imds.Requests.First().Header("X-aws-ec2-metadata-token-ttl-seconds").Should().Be("21600");
        imds.Requests.Skip(1).Should().OnlyContain(r => r.Header("X-aws-ec2-metadata-token") == "imds-token");
    }

    [Fact]
    public async Task GetAsync_TemporaryCredentialsFresh_AreNotFetchedAgain()
    {
        await using var agent = await FakeVendorServer.StartAsync(context =>
            FakeVendorServer.Respond(context, HttpStatusCode.OK, "application/json", CredentialJson(_clock.GetUtcNow() + TimeSpan.FromHours(1))));
        _variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.Address.AbsoluteUri;
        var chain = Chain();

        await chain.GetAsync(_client, "eu-west-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(54));
        await chain.GetAsync(_client, "eu-west-1", CancellationToken.None);

        agent.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetAsync_TemporaryCredentialsAboutToExpire_AreFetchedAgain()
    {
        await using var agent = await FakeVendorServer.StartAsync(context =>
            FakeVendorServer.Respond(context, HttpStatusCode.OK, "application/json", CredentialJson(_clock.GetUtcNow() + TimeSpan.FromHours(1))));
        _variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.Address.AbsoluteUri;
        var chain = Chain();

        await chain.GetAsync(_client, "eu-west-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(56));
        await chain.GetAsync(_client, "eu-west-1", CancellationToken.None);

        agent.Requests.Should().HaveCount(2);
    }

    private void ConfigureWebIdentity(Uri sts)
    {
        _variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/canary";
        _variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";
        _variables["AWS_ROLE_SESSION_NAME"] = "ci-session";
        _variables["AWS_ENDPOINT_URL_STS"] = sts.AbsoluteUri;
        _files["/var/run/secrets/eks.amazonaws.com/serviceaccount/token"] = WebToken + "\n";
    }
}
