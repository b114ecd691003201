using System.Net;
using Canary.Analysis;
using Canary.Metrics.Datadog;
using Canary.Metrics.Secrets;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.Datadog;

public sealed class DatadogMetricProviderTests : IDisposable
{
    private const string ApiKey = "dd-api-key-0123456789abcdef";
    private const string ApplicationKey = "dd-app-key-fedcba9876543210";
    private const string SecretApiKey = "secret-api-key-55555";
    private const string SecretApplicationKey = "secret-app-key-66666";
    private const string Query = "sum:trace.http.request.errors{service:{{ target }},env:{{ namespace }}}.as_count()";
    private const string Rendered = "sum:trace.http.request.errors{service:podinfo,env:test}.as_count()";

    private readonly HttpClient _httpClient = new();
    private readonly RecordingLogger<DatadogMetricProvider> _logger = new();

    public void Dispose() => _httpClient.Dispose();

    private DatadogMetricProvider Provider(
        Uri address,
        Action<DatadogOptions>? configure = null,
        IMetricSecretResolver? secrets = null,
        TimeProvider? timeProvider = null)
    {
        var options = new DatadogOptions { Address = address, ApiKey = ApiKey, ApplicationKey = ApplicationKey };
        configure?.Invoke(options);
        return new DatadogMetricProvider(_httpClient, options, secrets, _logger, timeProvider);
    }

    private static MetricQuery DatadogQuery(Uri? address = null, string? secretRef = null, TimeSpan? interval = null) =>
        VendorQueries.Template(DatadogMetricProvider.ProviderType, Query, address, secretRef, interval: interval);

    private static string Series(params string[] pointlists) =>
        "{\"status\":\"ok\",\"res_type\":\"time_series\",\"query\":\"q\",\"from_date\":1735689540000,\"to_date\":1735689600000,\"series\":[" +
        string.Join(',', pointlists.Select(p => "{\"metric\":\"trace.http.request.errors\",\"aggr\":\"sum\",\"length\":3,\"pointlist\":" + p + "}")) +
        "]}";

    [Fact]
    public async Task QueryAsync_OneSeries_ReturnsLastPointWithValueAndTheQuery()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.5],[1735689560000.0,2.5],[1735689580000.0,null]]"));

        var result = await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        result.Value.Should().Be(2.5);
        result.Detail.Should().Be(Rendered);
    }

    [Fact]
    public async Task QueryAsync_Template_SendsRenderedQueryWindowAndKeys()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]"));
        var clock = new ManualTimeProvider();

        await Provider(server.Address, timeProvider: clock).QueryAsync(DatadogQuery(interval: TimeSpan.FromMinutes(2)), CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Should().BeEquivalentTo(new { Method = "GET", Path = "/api/v1/query" });
        request.Query.Should().Equal(new Dictionary<string, string>
        {
            ["from"] = (VendorQueries.StartSeconds - 120).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["to"] = VendorQueries.StartSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["query"] = Rendered,
        });
        request.Header("DD-API-KEY").Should().Be(ApiKey);
        request.Header("DD-APPLICATION-KEY").Should().Be(ApplicationKey);
    }

    [Fact]
    public async Task QueryAsync_AddressWithPathPrefix_KeepsPrefix()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]"));

        await Provider(new Uri(server.Address, "/datadog")).EvaluateAsync("avg:system.load.1{*}", TimeSpan.FromMinutes(1), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Path.Should().Be("/datadog/api/v1/query");
    }

    [Fact]
    public async Task QueryAsync_NoSeries_NoDataNamingTheQuery()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());

        var result = await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().Be($"no data: the query returned no series (no metric matched, or none had points in the window). Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_SeveralSeries_NoDataNamingHowMany()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]", "[[1735689540000.0,2.0]]"));

        var result = await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith("no data: the query returned 2 series, and an analysis query must return exactly one").And.EndWith($"Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_OnlyNullPoints_NoData()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,null],[1735689560000.0,null]]"));

        var result = await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().Be($"no data: the series has no point with a value in the window. Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_PointBeyondDoubleRange_ThrowsNotANumber()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1e999]]"));

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<DatadogQueryException>().WithMessage("Datadog at * returned a point whose value is not a number.*");
    }

    [Fact]
    public async Task QueryAsync_ErrorsBody_ThrowsWithErrorsStatusAndQuery()
    {
        await using var server = await FakeVendorServer.StartAsync(
            """{"errors":["Error parsing query: unable to parse sum:trace{: Rule 'scope_expr' didn't match"]}""",
            HttpStatusCode.BadRequest);

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<DatadogQueryException>())
            .WithMessage($"Datadog at * rejected the query (HTTP 400 (BadRequest)): Error parsing query: unable to parse sum:trace{{: Rule 'scope_expr' didn't match Query: {Rendered}")
            .Which.Should().BeEquivalentTo(new { StatusCode = HttpStatusCode.BadRequest, Query = Rendered });
    }

    [Fact]
    public async Task QueryAsync_Forbidden_HintsAtKeys()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"errors":["Forbidden"]}""", HttpStatusCode.Forbidden);

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<DatadogQueryException>().WithMessage("*rejected the query (HTTP 403 (Forbidden)): Forbidden Check the API key and the application key*");
    }

    [Fact]
    public async Task QueryAsync_StatusError_ThrowsWithItsError()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"status":"error","res_type":"time_series","series":[],"error":"Rollup interval too small"}""");

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<DatadogQueryException>().WithMessage($"Datadog at * could not run the query: Rollup interval too small Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_HtmlProxyError_ThrowsWithStatusAndContentType()
    {
        await using var server = await FakeVendorServer.StartAsync(
            c => FakeVendorServer.Respond(c, HttpStatusCode.BadGateway, "text/html", "<html><body>Bad gateway</body></html>"));

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<DatadogQueryException>())
            .WithMessage("Datadog at * answered HTTP 502 (BadGateway) with a text/html body, not a Datadog API response.*")
            .Which.StatusCode.Should().Be(HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task QueryAsync_SuccessWithoutSeries_ThrowsAskingForTheApi()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"status":"ok"}""");

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<DatadogQueryException>().WithMessage("*answered without a series list; is the address that of Datadog's API?*");
    }

    [Fact]
    public async Task QueryAsync_SlowServer_ThrowsTimeoutAfterQueryTimeout()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeVendorServer.StartAsync(FakeVendorServer.Hang(received));
        var clock = new ManualTimeProvider();
        var provider = Provider(server.Address, o => o.QueryTimeout = TimeSpan.FromSeconds(3), timeProvider: clock);

        var pending = provider.QueryAsync(DatadogQuery(), CancellationToken.None).AsTask();
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(3));
        var act = () => pending;

        await act.Should().ThrowAsync<DatadogQueryException>()
            .WithMessage($"Datadog at * did not answer within 3s (DatadogOptions.QueryTimeout). Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeVendorServer.StartAsync(FakeVendorServer.Hang(received));
        using var cancellation = new CancellationTokenSource();

        var pending = Provider(server.Address).QueryAsync(DatadogQuery(), cancellation.Token).AsTask();
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var act = () => pending;

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task QueryAsync_ServerDown_ThrowsCouldNotReach()
    {
        Uri address;
        await using (var server = await FakeVendorServer.StartAsync(Series()))
        {
            address = server.Address;
        }

        var act = async () => await Provider(address).QueryAsync(DatadogQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<DatadogQueryException>().WithMessage($"Could not reach Datadog at {address.ToString().TrimEnd('/')}: *Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_SecretRef_SendsTheSecretsKeys()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]"));
        var secrets = VendorQueries.Secrets(
            (DatadogMetricProvider.ApiKeySecretKey, SecretApiKey),
            (DatadogMetricProvider.ApplicationKeySecretKey, SecretApplicationKey + "\n"));

        await Provider(server.Address, secrets: secrets).QueryAsync(DatadogQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Header("DD-API-KEY").Should().Be(SecretApiKey);
        request.Header("DD-APPLICATION-KEY").Should().Be(SecretApplicationKey);
    }

    [Fact]
    public async Task QueryAsync_SecretWithoutApplicationKey_ThrowsNamingTheKey()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());
        var secrets = VendorQueries.Secrets((DatadogMetricProvider.ApiKeySecretKey, SecretApiKey));

        var act = async () => await Provider(server.Address, secrets: secrets).QueryAsync(DatadogQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        (await act.Should().ThrowAsync<MetricTemplateException>())
            .WithMessage($"MetricTemplate \"error-rate\": the secret \"{VendorQueries.SecretName}\" has no key \"datadog_application_key\", or it is empty.")
            .Which.Message.Should().NotContain(SecretApiKey);
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_SecretRefWithoutResolver_ThrowsSayingHowToRegisterOne()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(secretRef: "datadog"), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" sets provider.secretRef \"datadog\", but no IMetricSecretResolver is registered to read it*");
    }

    [Fact]
    public async Task QueryAsync_SecretNotFound_ThrowsNamingSecretAndNamespace()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());

        var act = async () => await Provider(server.Address, secrets: new InMemoryMetricSecretResolver())
            .QueryAsync(DatadogQuery(secretRef: "datadog"), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" sets provider.secretRef \"datadog\", but there is no secret \"datadog\" in namespace \"test\".");
    }

    [Fact]
    public async Task QueryAsync_TemplateAddressWithoutSecret_RefusesToSendConfiguredKeys()
    {
        await using var configured = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]"));
        await using var other = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,7.0]]"));

        var act = async () => await Provider(configured.Address).QueryAsync(DatadogQuery(address: other.Address), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage($"MetricTemplate \"error-rate\" sends its queries to {other.Address.ToString().TrimEnd('/')}, but the keys of DatadogOptions are only sent to *");
        other.Requests.Should().BeEmpty();
        configured.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_TemplateAddressWithSecret_QueriesThatAddressWithTheSecretsKeys()
    {
        await using var configured = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]"));
        await using var other = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,7.0]]"));
        var secrets = VendorQueries.Secrets(
            (DatadogMetricProvider.ApiKeySecretKey, SecretApiKey),
            (DatadogMetricProvider.ApplicationKeySecretKey, SecretApplicationKey));

        var result = await Provider(configured.Address, secrets: secrets)
            .QueryAsync(DatadogQuery(address: other.Address, secretRef: VendorQueries.SecretName), CancellationToken.None);

        result.Value.Should().Be(7);
        configured.Requests.Should().BeEmpty();
        other.Requests.Should().ContainSingle().Which.Header("DD-API-KEY").Should().Be(SecretApiKey);
    }

    [Fact]
    public async Task QueryAsync_NoKeysAnywhere_ThrowsNamingBothWays()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());

        var act = async () => await Provider(server.Address, o => (o.ApiKey, o.ApplicationKey) = (null, null)).QueryAsync(DatadogQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has no provider.secretRef, and DatadogOptions has no ApiKey and ApplicationKey: set one or the other.");
    }

    [Fact]
    public async Task QueryAsync_TemplateOfOtherProviderType_ThrowsNamingIt()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());
        var query = VendorQueries.Template("prometheus", "up");

        var act = async () => await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has provider type \"prometheus\"; the Datadog provider only runs \"datadog\" templates.");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_BuiltinMetric_ThrowsPointingAtPrometheus()
    {
        await using var server = await FakeVendorServer.StartAsync(Series());

        var act = async () => await Provider(server.Address).QueryAsync(TestQueries.Builtin("nginx"), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("metric check \"request-success-rate\" has no MetricTemplate; the Datadog provider only runs \"datadog\" templates*");
    }

    [Fact]
    public async Task QueryAsync_TemplateHeaders_AreSentButKeysWin()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1735689540000.0,1.0]]"));
        var query = VendorQueries.Template(
            DatadogMetricProvider.ProviderType,
            Query,
            headers: new Dictionary<string, string> { ["X-Team"] = "payments", ["DD-API-KEY"] = "from-template" });

        await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Header("X-Team").Should().Be("payments");
        request.Header("DD-API-KEY").Should().Be(ApiKey);
    }

    public static TheoryData<string> FailureModes => ["errors-body", "html", "status-error", "no-data", "timeout-like-503"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task QueryAsync_AnyOutcome_NeverRevealsKeys(string mode)
    {
        await using var server = await FakeVendorServer.StartAsync(c =>
        {
            // A careless proxy that echoes the request's keys back.
            var echoed = $"{c.Request.Headers["DD-API-KEY"]} {c.Request.Headers["DD-APPLICATION-KEY"]}";
            return mode switch
            {
                "errors-body" => FakeVendorServer.Respond(c, HttpStatusCode.Forbidden, "application/json", $$"""{"errors":["bad key {{echoed}}"]}"""),
                "html" => FakeVendorServer.Respond(c, HttpStatusCode.BadGateway, "text/html", $"<p>{echoed}</p>"),
                "status-error" => FakeVendorServer.Respond(c, HttpStatusCode.OK, "application/json", $$"""{"status":"error","error":"{{echoed}}"}"""),
                "timeout-like-503" => FakeVendorServer.Respond(c, HttpStatusCode.ServiceUnavailable, "text/plain", echoed),
                _ => FakeVendorServer.Respond(c, HttpStatusCode.OK, "application/json", $$"""{"status":"ok","message":"{{echoed}}","series":[]}"""),
            };
        });
        var secrets = VendorQueries.Secrets(
            (DatadogMetricProvider.ApiKeySecretKey, SecretApiKey),
            (DatadogMetricProvider.ApplicationKeySecretKey, SecretApplicationKey));
        var provider = Provider(server.Address, secrets: secrets);

        var texts = new List<string>();
        foreach (var query in new[] { DatadogQuery(), DatadogQuery(secretRef: VendorQueries.SecretName) })
        {
            try
            {
                texts.Add((await provider.QueryAsync(query, CancellationToken.None)).Detail ?? string.Empty);
            }
            catch (DatadogQueryException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        texts.Add(_logger.AllText);
        string.Join('\n', texts).Should().NotContainAny(ApiKey, ApplicationKey, SecretApiKey, SecretApplicationKey);
    }

    [Fact]
    public async Task QueryAsync_ErrorEchoingKey_RedactsIt()
    {
        await using var server = await FakeVendorServer.StartAsync(c => FakeVendorServer.Respond(
            c,
            HttpStatusCode.Forbidden,
            "application/json",
            $$"""{"errors":["key {{c.Request.Headers["DD-API-KEY"]}} is not valid"]}"""));

        var act = async () => await Provider(server.Address).QueryAsync(DatadogQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<DatadogQueryException>()).Which.Message.Should().Contain("key [redacted] is not valid");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsValidationMessages()
    {
        var act = () => new DatadogMetricProvider(_httpClient, new DatadogOptions { ApiKey = ApiKey });

        act.Should().Throw<OptionsValidationException>().WithMessage("*DatadogOptions.ApiKey is set but ApplicationKey is not*");
    }
}
