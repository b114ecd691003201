using Canary.Analysis;
using Canary.Metrics.Templates;
using Microsoft.Extensions.Logging;

namespace Canary.Metrics.Http;

/// <summary>
/// Sends one query to a vendor and reads its answer: the query timeout on the provider's clock, a cap on the size of
/// the answer, the messages for timeouts and unreachable servers, and the log lines. The provider builds the request
/// and reads the answer.
/// </summary>
internal sealed class MetricHttpQuery
{
    private readonly string _vendor;
    private readonly string _timeoutOption;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Func<MetricQueryFailure, Exception> _failure;

    /// <summary>Initializes a new instance of the <see cref="MetricHttpQuery"/> class.</summary>
    /// <param name="vendor">The vendor's name for messages, for example <c>Datadog</c>.</param>
    /// <param name="timeoutOption">The option that sets the timeout, for messages, for example <c>DatadogOptions.QueryTimeout</c>.</param>
    /// <param name="timeout">How long one query may take.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock of the timeout.</param>
    /// <param name="failure">Turns a failure into the provider's exception, which must implement <see cref="IMetricQueryFailure"/>.</param>
    public MetricHttpQuery(string vendor, string timeoutOption, TimeSpan timeout, ILogger logger, TimeProvider timeProvider, Func<MetricQueryFailure, Exception> failure)
    {
        _vendor = vendor;
        _timeoutOption = timeoutOption;
        _timeout = timeout;
        _logger = logger;
        _timeProvider = timeProvider;
        _failure = failure;
    }

    /// <summary>Sends a query and reads the answer.</summary>
    /// <param name="client">The client.</param>
    /// <param name="createRequest">Builds the request; called once.</param>
    /// <param name="server">The server for messages, without credentials.</param>
    /// <param name="query">The query for messages and for the result.</param>
    /// <param name="redactor">Scrubs the credentials of this query out of text the server sent.</param>
    /// <param name="read">Turns the answer into a result, or throws the provider's exception.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The value, or no data.</returns>
    public async Task<MetricResult> RunAsync(
        HttpClient client,
        Func<HttpRequestMessage> createRequest,
        string server,
        string query,
        SecretRedactor redactor,
        Func<HttpAnswer, MetricResult> read,
        CancellationToken cancellationToken)
    {
        MetricQueryLog.Querying(_logger, _vendor, server, query);
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = createRequest();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ResponseBody.ReadAsync(response, linked.Token);
            if (body is null)
            {
                throw Failure(
                    $"{_vendor} at {server} answered more than {ResponseBody.MaxMebibytes} MiB; an analysis query must return one value. Query: {query}",
                    query,
                    response,
                    null);
            }

            var answer = new HttpAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.Value, response.Headers);
            var result = read(answer);
            if (result.Value is { } value)
            {
                MetricQueryLog.Answered(_logger, _vendor, server, value, query);
            }
            else
            {
                MetricQueryLog.NoData(_logger, _vendor, server, result.Detail);
            }

            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Either our timeout or the HttpClient's own Timeout fired: both mean the server was too slow.
            throw Logged(_failure(new MetricQueryFailure(
                $"{_vendor} at {server} did not answer within {DurationFormat.Format(_timeout)} ({_timeoutOption}). Query: {query}",
                query,
                null,
                null,
                null)));
        }
        catch (HttpRequestException ex)
        {
            throw Logged(_failure(new MetricQueryFailure(
                $"Could not reach {_vendor} at {server}: {redactor.Redact(ex.Message)} Query: {query}",
                query,
                ex.StatusCode,
                null,
                ex)));
        }
        catch (Exception ex) when (ex is IMetricQueryFailure)
        {
            MetricQueryLog.Failed(_logger, _vendor, ex.Message);
            throw;
        }
    }

    private Exception Failure(string message, string query, HttpResponseMessage response, string? errorType) =>
        _failure(new MetricQueryFailure(message, query, response.StatusCode, errorType, null));

    private Exception Logged(Exception exception)
    {
        MetricQueryLog.Failed(_logger, _vendor, exception.Message);
        return exception;
    }
}
