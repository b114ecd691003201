using System.Net;
using Canary.Analysis;
using Canary.Metrics.NewRelic;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.NewRelic;

public sealed class NewRelicMetricProviderTests : IDisposable
{
    private const string AccountId = "1234567";
    private const string QueryKey = "NRIQ-options-query-key-000111";
    private const string SecretQueryKey = "NRIQ-secret-query-key-999888";
    private const string Query =
        "SELECT filter(sum(nginx_ingress_controller_requests), WHERE status >= '500') / sum(nginx_ingress_controller_requests) * 100 " +
        "FROM Metric WHERE ingress = '{{ ingress }}' AND namespace = '{{ namespace }}'";

    private const string Rendered =
        "SELECT filter(sum(nginx_ingress_controller_requests), WHERE status >= '500') / sum(nginx_ingress_controller_requests) * 100 " +
        "FROM Metric WHERE ingress = 'podinfo' AND namespace = 'test' SINCE 60 seconds ago";

    private readonly HttpClient _httpClient = new();
    private readonly RecordingLogger<NewRelicMetricProvider> _logger = new();

    public void Dispose() => _httpClient.Dispose();

    private NewRelicMetricProvider Provider(
        Uri address,
        Action<NewRelicOptions>? configure = null,
        IMetricSecretResolver? secrets = null,
        TimeProvider? timeProvider = null)
    {
        var options = new NewRelicOptions { Address = address, AccountId = AccountId, QueryKey = QueryKey };
        configure?.Invoke(options);
        return new NewRelicMetricProvider(_httpClient, options, secrets, _logger, timeProvider);
    }

    private static MetricQuery NewRelicQuery(string query = Query, Uri? address = null, string? secretRef = null, TimeSpan? interval = null) =>
        VendorQueries.Template(NewRelicMetricProvider.ProviderType, query, address, secretRef, interval: interval);

    private static string Results(string results) =>
        "{\"results\":" + results + ",\"performanceStats\":{\"inspectedCount\":10,\"matchCount\":10,\"wallClockTime\":12}," +
        "\"metadata\":{\"eventTypes\":[\"Metric\"],\"rawSince\":\"60 SECONDS AGO\",\"rawUntil\":\"NOW\"}}";

    [Fact]
    public async Task QueryAsync_ExpressionResult_ReturnsItsValueAndTheNrqlSent()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"result":1.25}]"""));

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.Value.Should().Be(1.25);
        result.Detail.Should().Be(Rendered);
    }

    [Fact]
    public async Task QueryAsync_Template_SendsNrqlWithWindowToTheAccountWithTheQueryKey()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"result":1}]"""));

        await Provider(server.Address).QueryAsync(NewRelicQuery(interval: TimeSpan.FromMinutes(5)), CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Should().BeEquivalentTo(new { Method = "GET", Path = $"/v1/accounts/{AccountId}/query" });
        request.Query.Should().Equal(new Dictionary<string, string> { ["nrql"] = Rendered.Replace("SINCE 60", "SINCE 300", StringComparison.Ordinal) });
        request.Header("X-Query-Key").Should().Be(QueryKey);
        request.Header("Accept").Should().Be("application/json");
    }

    [Fact]
    public async Task QueryAsync_QueryWithItsOwnSince_KeepsIt()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"count":3}]"""));
        const string own = "SELECT count(*) FROM Transaction since 10 minutes ago";

        await Provider(server.Address).QueryAsync(NewRelicQuery(own), CancellationToken.None);

        server.Requests.Should().ContainSingle().Which.Query["nrql"].Should().Be(own);
    }

    [Fact]
    public async Task QueryAsync_SeveralResults_TakesTheFirstResultsFirstNumber()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"name":"x","count":42},{"average":0.5}]"""));

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.Value.Should().Be(42);
    }

    [Fact]
    public async Task QueryAsync_Percentile_TakesTheNestedNumber()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"percentiles":{"99":0.325}}]"""));

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.Value.Should().Be(0.325);
    }

    [Fact]
    public async Task QueryAsync_NullAggregate_NoDataNamingTheField()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"average":null}]"""));

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().Be(
            $"no data: the first result has no numeric value (average); no event matched in the window, or the query selects no aggregate function. Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_NoResults_NoData()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[]"));

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().Be($"no data: the query returned no results. Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_Facets_NoDataAskingToRemoveFacet()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"facets":[{"name":"a","results":[{"count":1}]},{"name":"b","results":[{"count":2}]}],"totalResult":{"results":[{"count":3}]}}""");

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith("no data: the query returned facets, and an analysis query must return one value; remove the FACET clause.");
    }

    [Fact]
    public async Task QueryAsync_TimeSeries_NoDataAskingToRemoveTimeseries()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"timeSeries":[{"results":[{"count":1}],"beginTimeSeconds":0,"endTimeSeconds":60}],"total":{"results":[{"count":1}]}}""");

        var result = await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        result.Value.Should().BeNull();
        result.Detail.Should().StartWith("no data: the query returned a time series").And.Contain("remove the TIMESERIES clause");
    }

    [Fact]
    public async Task QueryAsync_NrqlSyntaxError_ThrowsWithTheErrorStatusAndQuery()
    {
        await using var server = await FakeVendorServer.StartAsync(
            """{"error":"NRQL Syntax Error: Error at line 1 position 8, unexpected 'FROM'"}""",
            HttpStatusCode.BadRequest);

        var act = async () => await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<NewRelicQueryException>())
            .WithMessage($"New Relic at * rejected the query (HTTP 400 (BadRequest)): NRQL Syntax Error: Error at line 1 position 8, unexpected 'FROM' Query: {Rendered}")
            .Which.Should().BeEquivalentTo(new { StatusCode = HttpStatusCode.BadRequest, Query = Rendered });
    }

    [Fact]
    public async Task QueryAsync_ErrorObject_ThrowsWithItsTitleAndAKeyHint()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"error":{"title":"Invalid query key"}}""", HttpStatusCode.Forbidden);

        var act = async () => await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<NewRelicQueryException>()
            .WithMessage("*rejected the query (HTTP 403 (Forbidden)): Invalid query key Check the query key (X-Query-Key)*");
    }

    [Fact]
    public async Task QueryAsync_PlainTextError_ThrowsWithStatusAndContentType()
    {
        await using var server = await FakeVendorServer.StartAsync(
            c => FakeVendorServer.Respond(c, HttpStatusCode.ServiceUnavailable, "text/plain", "upstream unavailable"));

        var act = async () => await Provider(server.Address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        (await act.Should().ThrowAsync<NewRelicQueryException>())
            .WithMessage("New Relic at * answered HTTP 503 (ServiceUnavailable) with a text/plain body, not an Insights query API response.*")
            .Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task QueryAsync_SlowServer_ThrowsTimeoutAfterQueryTimeout()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeVendorServer.StartAsync(FakeVendorServer.Hang(received));
        var clock = new ManualTimeProvider();
        var provider = Provider(server.Address, o => o.QueryTimeout = TimeSpan.FromMilliseconds(2500), timeProvider: clock);

        var pending = provider.QueryAsync(NewRelicQuery(), CancellationToken.None).AsTask();
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(2500));
        var act = () => pending;

        await act.Should().ThrowAsync<NewRelicQueryException>()
            .WithMessage($"New Relic at * did not answer within 2s500ms (NewRelicOptions.QueryTimeout). Query: {Rendered}");
    }

    [Fact]
    public async Task QueryAsync_ServerDown_ThrowsCouldNotReach()
    {
        Uri address;
        await using (var server = await FakeVendorServer.StartAsync(Results("[]")))
        {
            address = server.Address;
        }

        var act = async () => await Provider(address).QueryAsync(NewRelicQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<NewRelicQueryException>().WithMessage($"Could not reach New Relic at {address.ToString().TrimEnd('/')}: *");
    }

    [Fact]
    public async Task QueryAsync_SecretRef_UsesTheSecretsAccountAndKey()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("""[{"result":1}]"""));
        var secrets = VendorQueries.Secrets(
            (NewRelicMetricProvider.AccountIdSecretKey, "7654321\n"),
            (NewRelicMetricProvider.QueryKeySecretKey, SecretQueryKey));

        await Provider(server.Address, secrets: secrets).QueryAsync(NewRelicQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        var request = server.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/v1/accounts/7654321/query");
        request.Header("X-Query-Key").Should().Be(SecretQueryKey);
    }

    [Fact]
    public async Task QueryAsync_SecretAccountNotANumber_ThrowsNamingTheKey()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[]"));
        var secrets = VendorQueries.Secrets(
            (NewRelicMetricProvider.AccountIdSecretKey, "../../admin"),
            (NewRelicMetricProvider.QueryKeySecretKey, SecretQueryKey));

        var act = async () => await Provider(server.Address, secrets: secrets).QueryAsync(NewRelicQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage($"MetricTemplate \"error-rate\": the key \"newrelic_account_id\" of secret \"{VendorQueries.SecretName}\" is not an account number (digits only).");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_SecretWithoutQueryKey_ThrowsNamingTheKey()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[]"));
        var secrets = VendorQueries.Secrets((NewRelicMetricProvider.AccountIdSecretKey, "7654321"));

        var act = async () => await Provider(server.Address, secrets: secrets).QueryAsync(NewRelicQuery(secretRef: VendorQueries.SecretName), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>().WithMessage("*has no key \"newrelic_query_key\", or it is empty.");
    }

    [Fact]
    public async Task QueryAsync_TemplateAddressWithoutSecret_RefusesToSendConfiguredKey()
    {
        await using var configured = await FakeVendorServer.StartAsync(Results("""[{"result":1}]"""));
        await using var other = await FakeVendorServer.StartAsync(Results("""[{"result":2}]"""));

        var act = async () => await Provider(configured.Address).QueryAsync(NewRelicQuery(address: other.Address), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" sends its queries to *, but the query key of NewRelicOptions is only sent to *");
        other.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_NoCredentialsAnywhere_ThrowsNamingBothWays()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[]"));

        var act = async () => await Provider(server.Address, o => (o.AccountId, o.QueryKey) = (null, null)).QueryAsync(NewRelicQuery(), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has no provider.secretRef, and NewRelicOptions has no AccountId and QueryKey: set one or the other.");
    }

    [Fact]
    public async Task QueryAsync_TemplateOfOtherProviderType_ThrowsNamingIt()
    {
        await using var server = await FakeVendorServer.StartAsync(Results("[]"));

        var act = async () => await Provider(server.Address).QueryAsync(VendorQueries.Template("datadog", "avg:x{*}"), CancellationToken.None);

        await act.Should().ThrowAsync<MetricTemplateException>()
            .WithMessage("MetricTemplate \"error-rate\" has provider type \"datadog\"; the New Relic provider only runs \"newrelic\" templates.");
    }

    public static TheoryData<string> FailureModes => ["error-string", "error-object", "html", "no-data"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task QueryAsync_AnyOutcome_NeverRevealsTheQueryKey(string mode)
    {
        await using var server = await FakeVendorServer.StartAsync(c =>
        {
            // A careless proxy that echoes the request's key back.
            var echoed = c.Request.Headers["X-Query-Key"].ToString();
            return mode switch
            {
                "error-string" => FakeVendorServer.Respond(c, HttpStatusCode.Unauthorized, "application/json", $$"""{"error":"unknown key {{echoed}}"}"""),
                "error-object" => FakeVendorServer.Respond(c, HttpStatusCode.BadRequest, "application/json", $$$"""{"error":{"title":"{{{echoed}}}"}}"""),
                "html" => FakeVendorServer.Respond(c, HttpStatusCode.BadGateway, "text/html", $"<p>{echoed}</p>"),
                _ => FakeVendorServer.Respond(c, HttpStatusCode.OK, "application/json", $$$"""{"results":[{"{{{echoed}}}":null}]}"""),
            };
        });
        var secrets = VendorQueries.Secrets(
            (NewRelicMetricProvider.AccountIdSecretKey, "7654321"),
            (NewRelicMetricProvider.QueryKeySecretKey, SecretQueryKey));
        var provider = Provider(server.Address, secrets: secrets);

        var texts = new List<string>();
        foreach (var query in new[] { NewRelicQuery(), NewRelicQuery(secretRef: VendorQueries.SecretName) })
        {
            try
            {
                texts.Add((await provider.QueryAsync(query, CancellationToken.None)).Detail ?? string.Empty);
            }
            catch (NewRelicQueryException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        texts.Add(_logger.AllText);
        string.Join('\n', texts).Should().NotContainAny(QueryKey, SecretQueryKey);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsValidationMessages()
    {
        var act = () => new NewRelicMetricProvider(_httpClient, new NewRelicOptions { QueryKey = QueryKey });

        act.Should().Throw<OptionsValidationException>().WithMessage("*NewRelicOptions.QueryKey is set but AccountId is not*");
    }
}
