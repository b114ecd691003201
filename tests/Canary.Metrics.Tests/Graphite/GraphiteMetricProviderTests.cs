using System.Net;
using System.Text;
using Canary.Analysis;
using Canary.Metrics.Graphite;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.Graphite;

public sealed class GraphiteMetricProviderTests : IDisposable
{
    private const string Password = "graphite-p4ssw0rd-value";
    private const string SecretPassword = "secret-graphite-pw-4242";
    private const string Query = "asPercent(sumSeries(stats.{{ namespace }}.{{ target }}.status.5xx), sumSeries(stats.{{ namespace }}.{{ target }}.status.*))";
    private const string Rendered = "asPercent(sumSeries(stats.test.podinfo.status.5xx), sumSeries(stats.test.podinfo.status.*))";

    private readonly HttpClient _httpClient = new();
    private readonly RecordingLogger<GraphiteMetricProvider> _logger = new();

    public void Dispose() => _httpClient.Dispose();

    private GraphiteMetricProvider Provider(Uri address, Action<GraphiteOptions>? configure = null, IMetricSecretResolver? secrets = null, TimeProvider? timeProvider = null)
    {
        var options = new GraphiteOptions { Address = address };
        configure?.Invoke(options);
        return new GraphiteMetricProvider(_httpClient, options, secrets, _logger, timeProvider);
    }

    private static MetricQuery GraphiteQuery(string query = Query, Uri? address = null, string? secretRef = null, TimeSpan? interval = null) =>
        VendorQueries.Template(GraphiteMetricProvider.ProviderType, query, address, secretRef, interval: interval);

    private static string Series(params string[] datapoints) =>
        "[" + string.Join(',', datapoints.Select((d, i) => "{\"target\":\"series" + i + "\",\"tags\":{\"name\":\"series" + i + "\"},\"datapoints\":" + d + "}")) + "]";

    private static string BasicHeader(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public async Task QueryAsync_OneSeries_ReturnsLastDatapointWithValueAndTheQuery()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1.5,1735689540],[0.75,1735689550],[null,1735689560]]"));

        var result = await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        result.Value.Should().Be(0.75);
        result.Detail.Should().Be(Rendered);
    }

    [Fact]
    public async Task QueryAsync_Target_SendsRenderWithIntervalAndJsonFormat()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));

        await Provider(server.Address).QueryAsync(GraphiteQuery(interval: TimeSpan.FromMinutes(5)), CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Should().BeEquivalentTo(new { Method = "GET", Path = "/render" });
        request.Query.Should().Equal(new Dictionary<string, string> { ["target"] = Rendered, ["from"] = "-5min", ["format"] = "json" });
    }

    [Fact]
    public async Task QueryAsync_FlaggerQueryString_KeepsItsParametersAndForcesJson()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));
        var query = GraphiteQuery("target=summarize(asPercent(sumSeries(app.{{ target }}.{CLIENT_ERROR,SUCCESS}.count), sumSeries(app.{{ target }}.*.count)), '1min', 'avg')&from=-10min&until=now&format=png");

        await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Query.Should().Equal(new Dictionary<string, string>
        {
            ["target"] = "summarize(asPercent(sumSeries(app.podinfo.{CLIENT_ERROR,SUCCESS}.count), sumSeries(app.podinfo.*.count)), '1min', 'avg')",
            ["from"] = "-10min",
            ["until"] = "now",
            ["format"] = "json",
        });
    }

    [Fact]
    public async Task QueryAsync_FlaggerQueryStringWithoutFrom_AddsTheInterval()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));

        await Provider(server.Address).QueryAsync(GraphiteQuery("target=app.{{ target }}.errors", interval: TimeSpan.FromSeconds(90)), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Query.Should().Contain("from", "-90s");
    }

    [Fact]
    public async Task QueryAsync_AddressWithPathPrefix_KeepsPrefix()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));

        await Provider(new Uri(server.Address, "/graphite")).EvaluateAsync("app.errors", TimeSpan.FromMinutes(1), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Path.Should().Be("/graphite/render");
    }

    [Fact]
    public async Task QueryAsync_NoSeries_NoData()
    {
        await using var server = await FakeVendorServer.StartAsync("[]");

        var result = await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().Be($"no data: the query returned no series (no metric matched the target in the window). Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_SeveralSeries_NoDataNamingHowMany()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]", "[[2,1735689540]]", "[[3,1735689540]]"));

        var result = await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith("no data: the query returned 3 series, and an analysis query must return exactly one; aggregate it, for example with sumSeries(...).");
    }

    [Fact]
    public async Task QueryAsync_OnlyNulls_NoData()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[null,1735689540],[null,1735689550]]"));

        var result = await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().Be($"no data: the series has no datapoint with a value in the window. Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_BadRequest_ThrowsWithGraphitesMessage()
    {
        await using var server = await FakeVendorServer.StartAsync(
            c => FakeVendorServer.Respond(c, HttpStatusCode.BadRequest, "text/html; charset=utf-8", "Invalid target: unknown function asPercentt"));

        var act = async () => await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<GraphiteQueryException>())
            .WithMessage($"Graphite at * answered HTTP 400 (BadRequest): Invalid target: unknown function asPercentt Query: {Rendered}")
            .Which.Should().BeEquivalentTo(new { StatusCode = HttpStatusCode.BadRequest, Query = Rendered });
    }

    [Fact]
    public async Task QueryAsync_ServerErrorPage_ThrowsWithItsTextWithoutMarkup()
    {
        await using var server = await FakeVendorServer.StartAsync(c => FakeVendorServer.Respond(
            c,
            HttpStatusCode.InternalServerError,
            "text/html",
            "<html><head><title>Server Error (500)</title></head><body><h1>Server Error (500)</h1></body></html>"));

        var act = async () => await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<GraphiteQueryException>()
            .WithMessage($"Graphite at * answered HTTP 500 (InternalServerError): Server Error (500) Server Error (500) Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_Unauthorized_HintsAtCredentials()
    {
        await using var server = await FakeVendorServer.StartAsync(c => FakeVendorServer.Respond(c, HttpStatusCode.Unauthorized, "text/plain", string.Empty));

        var act = async () => await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<GraphiteQueryException>()
            .WithMessage("Graphite at * answered HTTP 401 (Unauthorized) with an empty body. Check the user name and password.*");
    }

    [Fact]
    public async Task QueryAsync_SuccessfulHtml_ThrowsAskingForTheRenderApi()
    {
        await using var server = await FakeVendorServer.StartAsync(c => FakeVendorServer.Respond(c, HttpStatusCode.OK, "text/html", "<html>Grafana</html>"));

        var act = async () => await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<GraphiteQueryException>()
            .WithMessage("*answered HTTP 200 (OK) with a text/html body that is not render JSON; is the address that of graphite-web's render API?*");
    }

    [Fact]
    public async Task QueryAsync_SlowServer_ThrowsTimeoutAfterQueryTimeout()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeVendorServer.StartAsync(FakeVendorServer.Hang(received));
        var clock = new ManualTimeProvider();
        var provider = Provider(server.Address, o => o.QueryTimeout = TimeSpan.FromSeconds(5), timeProvider: clock);

        var pending = provider.QueryAsync(GraphiteQuery(), CancellationToken.None).AsTask();
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(5));
        var act = () => pending;

        await act.Should().ThrowAsync<GraphiteQueryException>()
            .WithMessage($"Graphite at * did not answer within 5s (GraphiteOptions.QueryTimeout). Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_ServerDown_ThrowsCouldNotReach()
    {
        Uri address;
        await using (var server = await FakeVendorServer.StartAsync("[]"))
        {
            address = server.Address;
        }

        var act = async () => await Provider(address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<GraphiteQueryException>().WithMessage($"Could not reach Graphite at {address.ToString().TrimEnd('/')}: *");
    }

    [Fact]
    public async Task QueryAsync_OptionsBasicAuth_SendsAuthorizationHeader()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));

        await Provider(server.Address, o => (o.Username, o.Password) = ("canary", Password)).QueryAsync(GraphiteQuery(), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Header("Authorization").Should().Be(BasicHeader("canary", Password));
    }

    [Fact]
    public async Task QueryAsync_NoCredentials_SendsNoAuthorizationHeader()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));

        await Provider(server.Address).QueryAsync(GraphiteQuery(), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Headers.Should().NotContainKey("Authorization");
    }

    [Fact]
    public async Task QueryAsync_SecretRef_SendsTheSecretsCredentials()
    {
        await using var server = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));
        var secrets = VendorQueries.Secrets((GraphiteMetricProvider.UsernameSecretKey, "flagger"), (GraphiteMetricProvider.PasswordSecretKey, SecretPassword));

        await Provider(server.Address, o => (o.Username, o.Password) = ("canary", Password), secrets)
            .QueryAsync(GraphiteQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Header("Authorization").Should().Be(BasicHeader("flagger", SecretPassword));
    }

    [Fact]
    public async Task QueryAsync_SecretWithoutPassword_ThrowsNamingTheKey()
    {
        await using var server = await FakeVendorServer.StartAsync("[]");
        var secrets = VendorQueries.Secrets((GraphiteMetricProvider.UsernameSecretKey, "flagger"));

        var act = async () => await Provider(server.Address, secrets: secrets).QueryAsync(GraphiteQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage("*has no key \"password\", or it is empty.");
    }

    [Fact]
    public async Task QueryAsync_TemplateAddressOfOtherServer_QueriesItWithoutConfiguredCredentials()
    {
        await using var configured = await FakeVendorServer.StartAsync(Series("[[1,1735689540]]"));
        await using var other = await FakeVendorServer.StartAsync(Series("[[7,1735689540]]"));

        var result = await Provider(configured.Address, o => (o.Username, o.Password) = ("canary", Password))
            .QueryAsync(GraphiteQuery(address: other.Address), CancellationToken.None);

        result.Value.Should().Be(7);
        configured.Requests.Should().BeEmpty();
        other.Requests.Should().ContainSingle().Which.Headers.Should().NotContainKey("Authorization");
    }

    [Fact]
    public async Task QueryAsync_EmptyTargetInQueryString_ThrowsNamingTheTemplate()
    {
        await using var server = await FakeVendorServer.StartAsync("[]");

        var act = async () => await Provider(server.Address).QueryAsync(GraphiteQuery("target=&from=-5min"), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage("MetricTemplate \"error-rate\" has an empty target.");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_VariableWithAmpersand_ThrowsNamingTheVariable()
    {
        await using var server = await FakeVendorServer.StartAsync("[]");
        var query = TestQueries.Template(
            "target=app.{{ variables.app }}.errors&from=-5min",
            new Dictionary<string, string> { ["app"] = "web&from=-30d" },
            new Canary.Model.MetricProviderSpec { Type = GraphiteMetricProvider.ProviderType });

        var act = async () => await Provider(server.Address).QueryAsync(query, CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("template variable \"variables.app\" in MetricTemplate \"error-rate\" contains '&', which would start another parameter of the Graphite query.");
        server.Requests.Should().BeEmpty();
    }

    public static TheoryData<string> FailureModes => ["bad-request", "server-error-page", "forbidden-json", "no-data"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task QueryAsync_AnyOutcome_NeverRevealsPasswords(string mode)
    {
        await using var server = await FakeVendorServer.StartAsync(c =>
        {
            // A careless proxy that echoes the request's credentials back, encoded and decoded.
            var header = c.Request.Headers.Authorization.ToString();
            var decoded = header.Length > 6 ? Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])) : string.Empty;
            var echoed = $"{header} {decoded}";
            return mode switch
            {
                "bad-request" => FakeVendorServer.Respond(c, HttpStatusCode.BadRequest, "text/plain", $"bad auth {echoed}"),
                "server-error-page" => FakeVendorServer.Respond(c, HttpStatusCode.InternalServerError, "text/html", $"<pre>{echoed}</pre>"),
                "forbidden-json" => FakeVendorServer.Respond(c, HttpStatusCode.Forbidden, "application/json", $$"""{"error":"{{echoed}}"}"""),
                _ => FakeVendorServer.Respond(c, HttpStatusCode.OK, "application/json", "[]"),
            };
        });
        var secrets = VendorQueries.Secrets((GraphiteMetricProvider.UsernameSecretKey, "flagger"), (GraphiteMetricProvider.PasswordSecretKey, SecretPassword));
        var provider = Provider(server.Address, o => (o.Username, o.Password) = ("canary", Password), secrets);

        var texts = new List<string>();
        foreach (var query in new[] { GraphiteQuery(), GraphiteQuery(secretRef: VendorQueries.SecretName) })
        {
            try
            {
                texts.Add((await provider.QueryAsync(query, CancellationToken.None)).Detail ?? string.Empty);
            }
            catch (GraphiteQueryException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        texts.Add(_logger.AllText);
        var basic = BasicHeader("canary", Password)[6..];
        var secretBasic = BasicHeader("flagger", SecretPassword)[6..];
        string.Join('\n', texts).Should().NotContainAny(Password, SecretPassword, basic, secretBasic);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsValidationMessages()
    {
        var act = () => new GraphiteMetricProvider(_httpClient, new GraphiteOptions());

        act.Should().Throw<OptionsValidationException>().WithMessage("*GraphiteOptions.Address is required*");
    }
}
