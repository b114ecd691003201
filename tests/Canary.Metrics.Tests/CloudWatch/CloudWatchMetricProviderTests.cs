using System.Net;
using System.Text;
using System.Text.Json;
using Canary.Analysis;
using Canary.Metrics.CloudWatch;
using Canary.Metrics.CloudWatch.Credentials;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.CloudWatch;

public sealed class CloudWatchMetricProviderTests : IDisposable
{
    private const string AccessKeyId = "AKIAOPTIONSEXAMPLE01";
    private const string SecretAccessKey = "options/secret+access/key+EXAMPLE0000001";
    private const string SessionToken = "options-session-token-EXAMPLE0000001";
    private const string SecretKeyId = "AKIASECRETEXAMPLE002";
    private const string SecretSecretKey = "secret/secret+access/key+EXAMPLE0000002";
    private const string SecretSessionToken = "secret-session-token-EXAMPLE0000002";

    private const string Query =
        """
        [
            { "Id": "e1", "Expression": "m1 / m2", "Label": "Error Rate" },
            { "Id": "m1", "MetricStat": { "Metric": { "Namespace": "MyKubernetesCluster", "MetricName": "ErrorCount",
              "Dimensions": [ { "Name": "appName", "Value": "{{ name }}.{{ namespace }}" } ] }, "Period": 60, "Stat": "Sum", "Unit": "Count" }, "ReturnData": false },
            { "Id": "m2", "MetricStat": { "Metric": { "Namespace": "MyKubernetesCluster", "MetricName": "RequestCount",
              "Dimensions": [ { "Name": "appName", "Value": "{{ name }}.{{ namespace }}" } ] }, "Period": 60, "Stat": "Sum", "Unit": "Count" }, "ReturnData": false }
        ]
        """;

    private readonly HttpClient _httpClient = new();
    private readonly RecordingLogger<CloudWatchMetricProvider> _logger = new();

    public void Dispose() => _httpClient.Dispose();

    private static string Rendered => PromQlTemplate.Parse(Query, "t").Render(MetricTemplateContext.FromQuery(CloudWatchQuery()));

    private CloudWatchMetricProvider Provider(Uri address, Action<CloudWatchOptions>? configure = null, IMetricSecretResolver? secrets = null, TimeProvider? timeProvider = null)
    {
        var options = new CloudWatchOptions { Address = address, Region = "eu-west-1", AccessKeyId = AccessKeyId, SecretAccessKey = SecretAccessKey };
        configure?.Invoke(options);
        return new CloudWatchMetricProvider(_httpClient, options, secrets, _logger, timeProvider);
    }

    private static CloudWatchMetricProvider AmbientProvider(Uri address, Dictionary<string, string> variables) =>
        new(
            new HttpClient(),
            new CloudWatchOptions { Address = address, Region = "eu-west-1" },
            new AwsEnvironment(v => variables.GetValueOrDefault(v), _ => null, "/home/user"));

    private static MetricQuery CloudWatchQuery(string query = Query, Uri? address = null, string? secretRef = null, string? region = null, TimeSpan? interval = null) =>
        VendorQueries.Template(CloudWatchMetricProvider.ProviderType, query, address, secretRef, region, interval);

    private static string Results(string values, string status = "Complete") =>
        "{\"MetricDataResults\":[{\"Id\":\"e1\",\"Label\":\"Error Rate\",\"Timestamps\":[1735689540,1735689480],\"Values\":" + values +
        ",\"StatusCode\":\"" + status + "\"}],\"Messages\":[]}";

    /// <summary>Recomputes the signature from the request as it arrived, with the secret key only the test and the signer know.</summary>
    private static string ExpectedSignature(VendorRequest request, string secretAccessKey)
    {
        var authorization = request.Header("Authorization");
        var credential = authorization.Split("Credential=")[1].Split(',')[0];
        var scope = credential[(credential.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var parts = scope.Split('/');
        var signed = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var (canonical, _) = AwsSignatureV4.CanonicalRequest(
            request.Method,
            request.Path,
            AwsSignatureV4.CanonicalQuery(request.RawQuery),
            signed.Select(name => new KeyValuePair<string, string>(name, request.Header(name))),
            AwsSignatureV4.HexHash(Encoding.UTF8.GetBytes(request.Body)));
        var key = AwsSignatureV4.SigningKey(secretAccessKey, parts[0], parts[1], parts[2]);
        return AwsSignatureV4.Signature(key, AwsSignatureV4.StringToSign(request.Header("X-Amz-Date"), scope, canonical));
    }

    [Fact]
    public async Task QueryAsync_FirstResult_ReturnsItsFirstValueAndTheQuery()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[0.25,0.5]"));

        var result = await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        result.Value.Should().Be(0.25);
        result.Detail.Should().Be(Rendered);
    }

    [Fact]
    public async Task QueryAsync_Template_PostsGetMetricDataOverTenIntervals()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var clock = new ManualTimeProvider();

        await Provider(server.Address, timeProvider: clock).QueryAsync(CloudWatchQuery(interval: TimeSpan.FromMinutes(2)), CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Should().BeEquivalentTo(new { Method = "POST", Path = "/" });
        request.Header("X-Amz-Target").Should().Be("GraniteServiceVersion20100801.GetMetricData");
        request.Header("Content-Type").Should().Be("application/x-amz-json-1.0");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("StartTime").GetInt64().Should().Be(VendorQueries.StartSeconds - 1200);
        body.RootElement.GetProperty("EndTime").GetInt64().Should().Be(VendorQueries.StartSeconds);
        body.RootElement.GetProperty("ScanBy").GetString().Should().Be("TimestampDescending");
        using var expected = JsonDocument.Parse(Rendered);
        JsonElement.DeepEquals(body.RootElement.GetProperty("MetricDataQueries"), expected.RootElement).Should().BeTrue();
    }

    [Fact]
    public async Task QueryAsync_Template_RendersItsVariablesIntoTheJson()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));

        await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        using var body = JsonDocument.Parse(server.Requests.Single().Body);
        body.RootElement.GetProperty("MetricDataQueries")[1].GetProperty("MetricStat").GetProperty("Metric").GetProperty("Dimensions")[0]
            .GetProperty("Value").GetString().Should().Be("podinfo.test");
    }

    [Fact]
    public async Task QueryAsync_Request_IsSignedForMonitoringInTheRegionAsItArrives()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var clock = new ManualTimeProvider();

        await Provider(server.Address, timeProvider: clock).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        var request = server.Requests.Single();
        request.Header("X-Amz-Date").Should().Be("20250101T000000Z");
        request.Header("Authorization").Should().StartWith(
            $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/20250101/eu-west-1/monitoring/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=");
        request.Header("Authorization").Should().EndWith($"Signature={ExpectedSignature(request, SecretAccessKey)}");
        request.Headers.Should().NotContainKey("X-Amz-Security-Token");
    }

    [Fact]
    public async Task QueryAsync_SessionToken_SendsItSigned()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));

        await Provider(server.Address, o => o.SessionToken = SessionToken).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        var request = server.Requests.Single();
        request.Header("X-Amz-Security-Token").Should().Be(SessionToken);
        request.Header("Authorization").Should().Contain("x-amz-security-token").And.EndWith(ExpectedSignature(request, SecretAccessKey));
    }

    [Fact]
    public async Task QueryAsync_TemplateRegion_OverridesTheOptionsRegion()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));

        await Provider(server.Address).QueryAsync(CloudWatchQuery(region: "ap-southeast-2"), CancellationToken.None);

        server.Requests.Single().Header("Authorization").Should().Contain("/ap-southeast-2/monitoring/aws4_request");
    }

    [Fact]
    public async Task QueryAsync_NoRegionAnywhere_ThrowsNamingBoth()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));

        var act = async () => await Provider(server.Address, o => o.Region = null).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has no provider.region, and CloudWatchOptions.Region is not set.");
    }

    [Fact]
    public async Task QueryAsync_TemplateRegionNotARegion_ThrowsNamingIt()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(region: "Europe"), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has a provider.region \"Europe\" that is not an AWS region such as us-east-1.");
    }

    [Fact]
    public async Task QueryAsync_NoResults_NoData()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"MetricDataResults":[],"Messages":[]}""");

        var result = await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().StartWith("no data: GetMetricData returned no results");
    }

    [Fact]
    public async Task QueryAsync_FirstResultWithoutValues_NoDataNamingIt()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"MetricDataResults":[{"Id":"e1","Label":"Error Rate","Timestamps":[],"Values":[],"StatusCode":"Complete"}]}""");

        var result = await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().Be($"no data: result \"e1\" has no values in the window. Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_ResultForbidden_ThrowsWithItsMessages()
    {
        await using var server = await FakeVendorServer.StartAsync(
            """{"MetricDataResults":[{"Id":"e1","Values":[],"StatusCode":"Forbidden","Messages":[{"Code":"Forbidden","Value":"Not authorized to read namespace"}]}]}""");

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<CloudWatchQueryException>())
            .WithMessage("CloudWatch at * could not compute result \"e1\" (Forbidden): Forbidden: Not authorized to read namespace Query: *")
            .Which.ErrorType.Should().Be("Forbidden");
    }

    [Fact]
    public async Task QueryAsync_InvalidParameter_ThrowsWithTypeMessageAndStatus()
    {
        await using var server = await FakeVendorServer.StartAsync(c =>
        {
            c.Response.Headers["x-amzn-query-error"] = "InvalidParameterValue;Sender";
            return FakeVendorServer.Respond(
                c,
                HttpStatusCode.BadRequest,
                "application/x-amz-json-1.0",
                """{"__type":"com.amazonaws.cloudwatch#InvalidParameterValueException","message":"The value m3 for parameter MetricDataQueries.member.1.Expression is not valid."}""");
        });

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<CloudWatchQueryException>())
            .WithMessage("CloudWatch at * rejected the query (HTTP 400 (BadRequest), InvalidParameterValueException): The value m3 for parameter MetricDataQueries.member.1.Expression is not valid. Query: *")
            .Which.Should().BeEquivalentTo(new { ErrorType = "InvalidParameterValueException", StatusCode = HttpStatusCode.BadRequest });
    }

    [Fact]
    public async Task QueryAsync_BadCredentials_HintsAtThem()
    {
        await using var server = await FakeVendorServer.StartAsync(
            """{"__type":"com.amazon.coral.service#UnrecognizedClientException","Message":"The security token included in the request is invalid."}""",
            HttpStatusCode.BadRequest);

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<CloudWatchQueryException>()
            .WithMessage("*(HTTP 400 (BadRequest), UnrecognizedClientException): The security token included in the request is invalid. Check the AWS credentials*");
    }

    [Fact]
    public async Task QueryAsync_ErrorCodeOnlyInHeader_UsesIt()
    {
        await using var server = await FakeVendorServer.StartAsync(c =>
        {
            c.Response.Headers["x-amzn-query-error"] = "Throttling;Sender";
            return FakeVendorServer.Respond(c, HttpStatusCode.BadRequest, "application/x-amz-json-1.0", """{"message":"Rate exceeded"}""");
        });

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<CloudWatchQueryException>()).Which.ErrorType.Should().Be("Throttling");
    }

    [Fact]
    public async Task QueryAsync_HtmlProxyError_ThrowsNotACloudWatchResponse()
    {
        await using var server = await FakeVendorServer.StartAsync(c => FakeVendorServer.Respond(c, HttpStatusCode.BadGateway, "text/html", "<html>bad gateway</html>"));

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<CloudWatchQueryException>()
            .WithMessage("CloudWatch at * answered HTTP 502 (BadGateway) with a text/html body, not a CloudWatch response.*");
    }

    [Fact]
    public async Task QueryAsync_SuccessWithoutResults_ThrowsAskingForTheEndpoint()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"ok":true}""");

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<CloudWatchQueryException>().WithMessage("*without MetricDataResults; is the address that of CloudWatch's monitoring endpoint?*");
    }

    [Fact]
    public async Task QueryAsync_SlowServer_ThrowsTimeoutAfterQueryTimeout()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeVendorServer.StartAsync(FakeVendorServer.Hang(received));
        var clock = new ManualTimeProvider();
        var provider = Provider(server.Address, o => o.QueryTimeout = TimeSpan.FromSeconds(4), timeProvider: clock);

        var pending = provider.QueryAsync(CloudWatchQuery(), CancellationToken.None).AsTask();
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(4));
        var act = () => pending;

        await act.Should().ThrowAsync<CloudWatchQueryException>()
            .WithMessage("CloudWatch at * did not answer within 4s (CloudWatchOptions.QueryTimeout). Query: *");
    }

    [Fact]
    public async Task QueryAsync_ServerDown_ThrowsCouldNotReach()
    {
        Uri address;
        await using (var server = await FakeVendorServer.StartAsync(Results("[1]")))
        {
            address = server.Address;
        }

        var act = async () => await Provider(address).QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<CloudWatchQueryException>().WithMessage($"Could not reach CloudWatch at {address.ToString().TrimEnd('/')}: *");
    }

    [Theory]
    [InlineData("not json", "MetricTemplate \"error-rate\" has a query that is not JSON (*); a cloudwatch template holds a JSON array of MetricDataQuery objects.")]
    [InlineData("{\"Id\":\"e1\"}", "MetricTemplate \"error-rate\" must hold a non-empty JSON array of MetricDataQuery objects, as Flagger's cloudwatch templates do.")]
    [InlineData("[]", "MetricTemplate \"error-rate\" must hold a non-empty JSON array of MetricDataQuery objects*")]
    [InlineData("[{\"Id\":\"e1\",\"Expression\":\"m1\"},{\"Expression\":\"m2\"}]", "MetricTemplate \"error-rate\": MetricDataQuery 1 is not an object with a string \"Id\".")]
    public async Task QueryAsync_QueryNotMetricDataQueries_ThrowsNamingTheTemplate(string query, string message)
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));

        var act = async () => await Provider(server.Address).QueryAsync(CloudWatchQuery(query), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage(message);
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_SecretRef_SignsWithTheSecretsCredentials()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var secrets = VendorQueries.Secrets(
            (CloudWatchMetricProvider.AccessKeyIdSecretKey, SecretKeyId),
            (CloudWatchMetricProvider.SecretAccessKeySecretKey, SecretSecretKey + "\n"),
            (CloudWatchMetricProvider.SessionTokenSecretKey, SecretSessionToken));

        await Provider(server.Address, secrets: secrets).QueryAsync(CloudWatchQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        var request = server.Requests.Single();
        request.Header("Authorization").Should().Contain($"Credential={SecretKeyId}/").And.EndWith(ExpectedSignature(request, SecretSecretKey));
        request.Header("X-Amz-Security-Token").Should().Be(SecretSessionToken);
    }

    [Fact]
    public async Task QueryAsync_SecretWithoutSecretAccessKey_ThrowsNamingTheKey()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var secrets = VendorQueries.Secrets((CloudWatchMetricProvider.AccessKeyIdSecretKey, SecretKeyId));

        var act = async () => await Provider(server.Address, secrets: secrets).QueryAsync(CloudWatchQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage("*has no key \"aws_secret_access_key\", or it is empty.");
    }

    [Fact]
    public async Task QueryAsync_TemplateAddressWithoutSecret_RefusesToSignForIt()
    {
        await using var configured = await FakeVendorServer.StartAsync(Results("[1]"));
        await using var other = await FakeVendorServer.StartAsync(Results("[2]"));

        var act = async () => await Provider(configured.Address).QueryAsync(CloudWatchQuery(address: other.Address), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" sends its queries to *, but the credentials of CloudWatchOptions only sign for *");
        other.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_NoCredentialsAndAmbientOff_ThrowsNamingEveryWay()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var provider = Provider(server.Address, o => (o.AccessKeyId, o.SecretAccessKey, o.UseAmbientCredentials) = (null, null, false));

        var act = async () => await provider.QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage(
            "MetricTemplate \"error-rate\" has no provider.secretRef, CloudWatchOptions has no AccessKeyId and SecretAccessKey, and CloudWatchOptions.UseAmbientCredentials is off: set one of them.");
    }

    [Fact]
    public async Task QueryAsync_NoCredentialsAnywhere_ThrowsListingThePlacesLookedIn()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var provider = AmbientProvider(server.Address, new Dictionary<string, string> { ["AWS_EC2_METADATA_DISABLED"] = "true" });

        var act = async () => await provider.QueryAsync(CloudWatchQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage(
            "*no AWS credentials were found in environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the shared credentials file*instance metadata (IMDSv2)*");
    }

    [Fact]
    public async Task QueryAsync_AmbientEnvironmentKeys_SignsWithThem()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var provider = AmbientProvider(server.Address, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = SecretKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = SecretSecretKey,
            ["AWS_SESSION_TOKEN"] = SecretSessionToken,
        });

        await provider.QueryAsync(CloudWatchQuery(), CancellationToken.None);

        var request = server.Requests.Single();
        request.Header("Authorization").Should().Contain($"Credential={SecretKeyId}/").And.EndWith(ExpectedSignature(request, SecretSecretKey));
        request.Header("X-Amz-Security-Token").Should().Be(SecretSessionToken);
    }

    [Fact]
    public async Task QueryAsync_AmbientKeysAndTemplateElsewhere_RefusesToSignForIt()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[1]"));
        var provider = AmbientProvider(server.Address, new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = SecretKeyId, ["AWS_SECRET_ACCESS_KEY"] = SecretSecretKey });

        var act = async () => await provider.QueryAsync(CloudWatchQuery(address: new Uri("https://monitoring.example.com/")), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage("*only sign for*");
        server.Requests.Should().BeEmpty();
    }

    public static TheoryData<string> FailureModes => ["signature-mismatch", "html", "forbidden-result", "no-data"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task QueryAsync_AnyOutcome_NeverRevealsCredentials(string mode)
    {
        await using var server = await FakeVendorServer.StartAsync((c, r) =>
        {
            // A careless endpoint that echoes the request's credentials back.
            var echoed = $"{r.Header("Authorization")} {r.Header("X-Amz-Security-Token")}";
            var json = JsonSerializer.Serialize(echoed);
            return mode switch
            {
                "signature-mismatch" => FakeVendorServer.Respond(c, HttpStatusCode.Forbidden, "application/x-amz-json-1.0",
                    $$"""{"__type":"com.amazon.coral.service#InvalidSignatureException","message":{{json}}}"""),
                "html" => FakeVendorServer.Respond(c, HttpStatusCode.BadGateway, "text/html", $"<p>{echoed}</p>"),
                "forbidden-result" => FakeVendorServer.Respond(c, HttpStatusCode.OK, "application/x-amz-json-1.0",
                    $$"""{"MetricDataResults":[{"Id":"e1","Values":[],"StatusCode":"Forbidden","Messages":[{"Code":"Forbidden","Value":{{json}}}]}]}"""),
                _ => FakeVendorServer.Respond(c, HttpStatusCode.OK, "application/x-amz-json-1.0",
                    $$"""{"MetricDataResults":[{"Id":{{json}},"Values":[]}]}"""),
            };
        });
        var secrets = VendorQueries.Secrets(
            (CloudWatchMetricProvider.AccessKeyIdSecretKey, SecretKeyId),
            (CloudWatchMetricProvider.SecretAccessKeySecretKey, SecretSecretKey),
            (CloudWatchMetricProvider.SessionTokenSecretKey, SecretSessionToken));
        var provider = Provider(server.Address, o => o.SessionToken = SessionToken, secrets);

        var texts = new List<string>();
        foreach (var query in new[] { CloudWatchQuery(), CloudWatchQuery(secretRef: VendorQueries.SecretName) })
        {
            try
            {
                texts.Add((await provider.QueryAsync(query, CancellationToken.None)).Detail ?? string.Empty);
            }
            catch (CloudWatchQueryException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        texts.Add(_logger.AllText);
        string.Join('\n', texts).Should().NotContainAny(AccessKeyId, SecretAccessKey, SessionToken, SecretKeyId, SecretSecretKey, SecretSessionToken);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsValidationMessages()
    {
        var act = () => new CloudWatchMetricProvider(_httpClient, new CloudWatchOptions { AccessKeyId = AccessKeyId });

        act.Should().Throw<OptionsValidationException>().WithMessage("*CloudWatchOptions.AccessKeyId is set but SecretAccessKey is not*");
    }
}
