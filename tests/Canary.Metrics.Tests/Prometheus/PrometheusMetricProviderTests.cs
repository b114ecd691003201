using System.Net;
using System.Text;
using Canary.Analysis;
using Canary.Metrics.Prometheus;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.Prometheus;

public sealed class PrometheusMetricProviderTests : IDisposable
{
    private const string Token = "s3cr3t-t0ken-value";
    private const string Password = "p4ssw0rd-value";
    private const string SimpleQuery = "sum(rate(x[1m]))";

    private readonly HttpClient _httpClient = new();
    private readonly RecordingLogger<PrometheusMetricProvider> _logger = new();

    public void Dispose() => _httpClient.Dispose();

    private PrometheusMetricProvider Provider(Uri address, Action<PrometheusOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new PrometheusOptions { Address = address };
        configure?.Invoke(options);
        return new PrometheusMetricProvider(_httpClient, options, _logger, timeProvider);
    }

    private static MetricQuery SuccessRateQuery() => TestQueries.Builtin(TrafficProviders.Nginx);

    [Fact]
    public async Task QueryAsync_OneSample_ReturnsItsValueAndTheQuery()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("99.25"));
        var query = SuccessRateQuery();

        var result = await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        result.Value.Should().Be(99.25);
        result.Detail.Should().Be(MetricQueryRenderer.Render(query));
    }

    [Fact]
    public async Task QueryAsync_Get_SendsRenderedQueryAndTimeout()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));
        var query = SuccessRateQuery();

        await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Should().BeEquivalentTo(new { Method = "GET", Path = "/api/v1/query", Query = MetricQueryRenderer.Render(query), Timeout = "5s" });
    }

    [Fact]
    public async Task QueryAsync_UsePost_SendsForm()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));

        await Provider(server.Address, o => o.UsePost = true).EvaluateAsync(SimpleQuery, CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Should().BeEquivalentTo(new { Method = "POST", Path = "/api/v1/query", Query = SimpleQuery, Timeout = "5s" });
    }

    [Fact]
    public async Task QueryAsync_AddressWithPathPrefix_KeepsPrefix()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));

        await Provider(new Uri(server.Address, "/prometheus")).EvaluateAsync(SimpleQuery, CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Path.Should().Be("/prometheus/api/v1/query");
    }

    [Fact]
    public async Task QueryAsync_Scalar_ReturnsItsValue()
    {
        await using var server = await FakePrometheusServer.StartAsync("""{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42.5"]}}""");

        var result = await Provider(server.Address).EvaluateAsync("scalar(x)", CancellationToken.None);

        result.Value.Should().Be(42.5);
    }

    [Fact]
    public async Task QueryAsync_EmptyVector_NoDataNamingTheQuery()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector());

        var result = await Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().Be($"no data: the query returned an empty vector (no series matched, or none had samples in the window). Query: {SimpleQuery}");
    }

    [Fact]
    public async Task QueryAsync_NaN_NoDataSayingZeroByZero()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("NaN"));

        var result = await Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith("no data: the query returned NaN").And.Contain("0/0").And.EndWith($"Query: {SimpleQuery}");
    }

    [Theory]
    [InlineData("+Inf")]
    [InlineData("-Inf")]
    public async Task QueryAsync_Infinity_NoData(string value)
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector(value));

        var result = await Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith($"no data: the query returned {value}").And.EndWith($"Query: {SimpleQuery}");
    }

    [Fact]
    public async Task QueryAsync_SeveralSeries_NoDataNamingHowMany()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1", "2", "3"));

        var result = await Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith("no data: the query returned 3 series, and an analysis query must return exactly one").And.EndWith($"Query: {SimpleQuery}");
    }

    [Fact]
    public async Task QueryAsync_Matrix_ThrowsExplainingRangeVector()
    {
        await using var server = await FakePrometheusServer.StartAsync(
            """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"1"],[1700000015,"2"]]}]}}""");

        var act = () => Provider(server.Address).EvaluateAsync("x[1m]", CancellationToken.None);

        (await act.Should().ThrowAsync<PrometheusQueryException>())
            .WithMessage($"Prometheus at {server.Address.ToString().TrimEnd('/')} returned a range vector (matrix)*Query: x[1m]")
            .Which.Query.Should().Be("x[1m]");
    }

    [Fact]
    public async Task QueryAsync_String_Throws()
    {
        await using var server = await FakePrometheusServer.StartAsync("""{"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}}""");

        var act = () => Provider(server.Address).EvaluateAsync("\"hello\"", CancellationToken.None);

        await act.Should().ThrowAsync<PrometheusQueryException>().WithMessage("*returned a string; an analysis query must return a number.*");
    }

    [Fact]
    public async Task QueryAsync_ErrorBody_ThrowsWithErrorTypeErrorAndQuery()
    {
        await using var server = await FakePrometheusServer.StartAsync(
            """{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected \"}\""}""",
            HttpStatusCode.BadRequest);

        var act = () => Provider(server.Address).EvaluateAsync("sum(}", CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<PrometheusQueryException>())
            .WithMessage("Prometheus at * rejected the query (bad_data, HTTP 400): invalid parameter \"query\": 1:5: parse error: unexpected \"}\" Query: sum(}")
            .Which;
        thrown.Should().BeEquivalentTo(new { ErrorType = "bad_data", StatusCode = HttpStatusCode.BadRequest, Query = "sum(}" });
    }

    [Fact]
    public async Task QueryAsync_HtmlError_ThrowsWithStatusCode()
    {
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.InternalServerError, "text/html", "<html><body>Bad gateway</body></html>"));

        var act = () => Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        (await act.Should().ThrowAsync<PrometheusQueryException>())
            .WithMessage($"Prometheus at * answered HTTP 500 (InternalServerError) with a text/html body, not a Prometheus API response. Query: {SimpleQuery}")
            .Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task QueryAsync_Unauthorized_HintsAtCredentials()
    {
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.Unauthorized, "text/plain", "unauthorized"));

        var act = () => Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        await act.Should().ThrowAsync<PrometheusQueryException>().WithMessage("*HTTP 401 (Unauthorized)*Check the bearer token*");
    }

    [Fact]
    public async Task QueryAsync_SuccessfulStatusWithoutJson_Throws()
    {
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "text/html", "<html>Grafana</html>"));

        var act = () => Provider(server.Address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        await act.Should().ThrowAsync<PrometheusQueryException>()
            .WithMessage("*answered HTTP 200 with a text/html body that is not a Prometheus API response; is the address that of a Prometheus server?*");
    }

    [Fact]
    public async Task QueryAsync_SlowServer_ThrowsTimeoutAfterQueryTimeout()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakePrometheusServer.StartAsync(async c =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        var time = new ManualTimeProvider();
        var provider = Provider(server.Address, o => o.QueryTimeout = TimeSpan.FromSeconds(3), time);

        var pending = provider.EvaluateAsync(SimpleQuery, CancellationToken.None);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(3));
        var act = () => pending;

        await act.Should().ThrowAsync<PrometheusQueryException>()
            .WithMessage($"Prometheus at * did not answer within 3s (PrometheusOptions.QueryTimeout). Query: {SimpleQuery}");
    }

    [Fact]
    public async Task QueryAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakePrometheusServer.StartAsync(async c =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        using var cancellation = new CancellationTokenSource();

        var pending = Provider(server.Address).EvaluateAsync(SimpleQuery, cancellation.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var act = () => pending;

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task QueryAsync_ServerDown_ThrowsCouldNotReach()
    {
        Uri address;
        await using (var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1")))
        {
            address = server.Address;
        }

        var act = () => Provider(address).EvaluateAsync(SimpleQuery, CancellationToken.None);

        await act.Should().ThrowAsync<PrometheusQueryException>().WithMessage($"Could not reach Prometheus at {address.ToString().TrimEnd('/')}: *Query: {SimpleQuery}");
    }

    [Fact]
    public async Task QueryAsync_BearerToken_SendsAuthorizationHeader()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));

        await Provider(server.Address, o => o.BearerToken = Token).EvaluateAsync(SimpleQuery, CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Authorization.Should().Be($"Bearer {Token}");
    }

    [Fact]
    public async Task QueryAsync_BasicAuth_SendsAuthorizationHeader()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));

        await Provider(server.Address, o => (o.Username, o.Password) = ("canary", Password)).EvaluateAsync(SimpleQuery, CancellationToken.None);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"canary:{Password}"));
        server.Requests.Should().ContainSingle().Which.Authorization.Should().Be(expected);
    }

    public static TheoryData<string> FailureModes => ["echoing-error-body", "echoing-html", "timeout-like-503", "no-data"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task QueryAsync_AnyOutcome_NeverRevealsSecrets(string mode)
    {
        await using var server = await FakePrometheusServer.StartAsync(c =>
        {
            // A careless proxy that echoes the request's credentials back.
            var echoed = c.Request.Headers.Authorization.ToString();
            return mode switch
            {
                "echoing-error-body" => FakePrometheusServer.Respond(c, HttpStatusCode.BadRequest, "application/json",
                    $$"""{"status":"error","errorType":"bad_data","error":"bad header {{echoed}}"}"""),
                "echoing-html" => FakePrometheusServer.Respond(c, HttpStatusCode.BadGateway, "text/html", $"<p>{echoed}</p>"),
                "timeout-like-503" => FakePrometheusServer.Respond(c, HttpStatusCode.ServiceUnavailable, "application/json",
                    $$"""{"status":"error","errorType":"timeout","error":"query timed out for {{echoed}}","warnings":["{{echoed}}"]}"""),
                _ => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "application/json",
                    $$$"""{"status":"success","warnings":["auth {{{echoed}}}"],"data":{"resultType":"vector","result":[]}}"""),
            };
        });
        var basic = Provider(server.Address, o => (o.Username, o.Password) = ("canary", Password));
        var bearer = Provider(server.Address, o => o.BearerToken = Token);

        var texts = new List<string>();
        foreach (var provider in new[] { basic, bearer })
        {
            try
            {
                var result = await provider.QueryAsync(SuccessRateQuery(), CancellationToken.None);
                texts.Add(result.Detail ?? string.Empty);
            }
            catch (PrometheusQueryException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        texts.Add(_logger.AllText);
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes($"canary:{Password}"));
        string.Join('\n', texts).Should().NotContainAny(Token, Password, base64);
    }

    [Fact]
    public async Task QueryAsync_ErrorEchoingToken_RedactsIt()
    {
        await using var server = await FakePrometheusServer.StartAsync(c => FakePrometheusServer.Respond(
            c,
            HttpStatusCode.BadRequest,
            "application/json",
            $$"""{"status":"error","errorType":"bad_data","error":"bad header {{c.Request.Headers.Authorization}}"}"""));

        var act = () => Provider(server.Address, o => o.BearerToken = Token).EvaluateAsync(SimpleQuery, CancellationToken.None);

        (await act.Should().ThrowAsync<PrometheusQueryException>()).Which.Message.Should().Contain("bad header Bearer [redacted]");
    }

    [Fact]
    public async Task QueryAsync_TemplateAddress_OverridesConfiguredAddressWithoutCredentials()
    {
        await using var configured = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));
        await using var other = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("7"));
        var query = TestQueries.Template("up", provider: new MetricProviderSpec { Address = other.Address });

        var result = await Provider(configured.Address, o => o.BearerToken = Token).QueryAsync(query, CancellationToken.None);

        result.Value.Should().Be(7);
        configured.Requests.Should().BeEmpty();
        other.Requests.Should().ContainSingle().Which.Authorization.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_TemplateAddressOfConfiguredServer_SendsCredentials()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));
        var query = TestQueries.Template("up", provider: new MetricProviderSpec { Address = new Uri(server.Address, "/") });

        await Provider(server.Address, o => o.BearerToken = Token).QueryAsync(query, CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Authorization.Should().Be($"Bearer {Token}");
    }

    [Fact]
    public async Task QueryAsync_TemplateSecretRefForOtherServer_ThrowsNamingTemplate()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));
        var spec = new MetricProviderSpec { Address = new Uri("http://127.0.0.1:1/"), SecretRef = "prom-auth" };
        var query = TestQueries.Template("up", provider: spec, templateName: "latency");

        var act = async () => await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"latency\" sets provider.secretRef \"prom-auth\" for http://127.0.0.1:1, but this host only holds the credentials of *");
    }

    [Fact]
    public async Task QueryAsync_TemplateHeaders_AreSent()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));
        var spec = new MetricProviderSpec { Headers = new Dictionary<string, string> { ["X-Scope-OrgID"] = "team-a" } };

        await Provider(server.Address).QueryAsync(TestQueries.Template("up", provider: spec), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Headers.Should().Contain("X-Scope-OrgID", "team-a");
    }

    [Fact]
    public async Task QueryAsync_TemplateOfOtherProviderType_ThrowsNamingIt()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("1"));
        var query = TestQueries.Template("avg:trace.requests{*}", provider: new MetricProviderSpec { Type = "datadog" });

        var act = async () => await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has provider type \"datadog\"; the Prometheus provider only runs \"prometheus\" templates.");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsValidationMessages()
    {
        var act = () => new PrometheusMetricProvider(_httpClient, new PrometheusOptions { Address = null });

        act.Should().Throw<OptionsValidationException>().WithMessage("*PrometheusOptions.Address is required*");
    }

    [Fact]
    public async Task QueryAsync_CaPem_TrustsServerItSigned()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "application/json", FakePrometheusServer.Vector("3")),
            certificates.Server);
        var options = new PrometheusOptions { Address = server.Address, CaPem = certificates.AuthorityPem };
        using var client = new HttpClient(PrometheusHttpHandlerFactory.Create(options, insecureSkipVerify: false));

        var result = await new PrometheusMetricProvider(client, options).EvaluateAsync(SimpleQuery, CancellationToken.None);

        result.Value.Should().Be(3);
    }

    [Fact]
    public async Task QueryAsync_NoCaForPrivateServer_ThrowsCouldNotReach()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "application/json", FakePrometheusServer.Vector("3")),
            certificates.Server);
        var options = new PrometheusOptions { Address = server.Address };
        using var client = new HttpClient(PrometheusHttpHandlerFactory.Create(options, insecureSkipVerify: false));

        var act = () => new PrometheusMetricProvider(client, options).EvaluateAsync(SimpleQuery, CancellationToken.None);

        await act.Should().ThrowAsync<PrometheusQueryException>().WithMessage("Could not reach Prometheus at https://127.0.0.1:*");
    }

    [Fact]
    public async Task QueryAsync_InsecureSkipVerify_AcceptsUntrustedServer()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "application/json", FakePrometheusServer.Vector("3")),
            certificates.Server);
        var options = new PrometheusOptions { Address = server.Address, InsecureSkipVerify = true };
        using var client = new HttpClient(PrometheusHttpHandlerFactory.Create(options, insecureSkipVerify: false));

        var result = await new PrometheusMetricProvider(client, options).EvaluateAsync(SimpleQuery, CancellationToken.None);

        result.Value.Should().Be(3);
    }
}
