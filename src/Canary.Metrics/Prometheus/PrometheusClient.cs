using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Canary.Metrics.Http;
using Canary.Metrics.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Prometheus;

/// <summary>
/// Sends instant queries (<c>/api/v1/query</c>) for the Prometheus metric and traffic-sample providers: the request with its
/// credentials and headers, the timeout on the host's clock, the size limit of the answer, and messages scrubbed of secrets.
/// </summary>
internal sealed class PrometheusClient
{
    private readonly Func<bool, HttpClient> _client;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string[] _secrets;
    private readonly string _timeoutText;

    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusClient(Func<bool, HttpClient> client, PrometheusOptions options, ILogger logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = PrometheusOptionsValidator.Problems(options).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(PrometheusOptions), problems);
        }

        _client = client;
        Options = options;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _secrets = new[] { options.BearerToken, options.Password, BasicCredentials(options) }
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .ToArray();
        _timeoutText = DurationFormat.Format(options.QueryTimeout);
        Configured = new(WithTrailingSlash(options.Address!), Display(options.Address!), true, options.InsecureSkipVerify, new Dictionary<string, string>(), "PrometheusOptions");
    }

    public PrometheusOptions Options { get; }

    /// <summary>Gets the configured server, which gets the configured credentials.</summary>
    public PrometheusServer Configured { get; }

    public static Func<bool, HttpClient> Fixed(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return _ => httpClient;
    }

    public static Func<bool, HttpClient> FromFactory(IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return insecure => httpClientFactory.CreateClient(insecure ? PrometheusMetricProvider.InsecureHttpClientName : PrometheusMetricProvider.HttpClientName);
    }

    public static string Display(Uri address) => address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped).TrimEnd('/');

    public static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new Uri(address.GetLeftPart(UriPartial.Path) + "/");

    /// <summary>Sends one query and reads its answer.</summary>
    /// <typeparam name="T">What the answer is read into.</typeparam>
    /// <param name="promQl">The query.</param>
    /// <param name="server">Where it goes.</param>
    /// <param name="read">Reads the answer; it throws <see cref="PrometheusQueryException"/> for an answer that is not what the caller needs.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>What <paramref name="read"/> made of the answer.</returns>
    /// <exception cref="PrometheusQueryException">Prometheus was unreachable or too slow, or <paramref name="read"/> refused its answer.</exception>
    public async Task<T> QueryAsync<T>(string promQl, PrometheusServer server, Func<PrometheusAnswer, T> read, CancellationToken cancellationToken)
    {
        PrometheusLog.Querying(_logger, server.Display, promQl);
        using var timeout = new CancellationTokenSource(Options.QueryTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = BuildRequest(promQl, server);
            using var response = await _client(server.Insecure).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ResponseBody.ReadAsync(response, linked.Token) ?? throw TooLarge(promQl, server, response.StatusCode);
            foreach (var warning in PrometheusResponse.Warnings(body))
            {
                PrometheusLog.Warning(_logger, server.Display, promQl, Redact(warning));
            }

            return read(new PrometheusAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, promQl, server.Display));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Either our timeout or the HttpClient's own Timeout fired: both mean the server was too slow.
            throw Logged(new PrometheusQueryException(
                $"Prometheus at {server.Display} did not answer within {_timeoutText} (PrometheusOptions.QueryTimeout). Query: {promQl}")
            {
                Query = promQl,
            });
        }
        catch (HttpRequestException ex)
        {
            throw Logged(new PrometheusQueryException($"Could not reach Prometheus at {server.Display}: {Redact(ex.Message)} Query: {promQl}", ex)
            {
                Query = promQl,
                StatusCode = ex.StatusCode,
            });
        }
        catch (PrometheusQueryException ex)
        {
            throw Logged(ex);
        }
    }

    /// <summary>Removes the configured secrets from text a server sent.</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        return text;
    }

    private HttpRequestMessage BuildRequest(string promQl, PrometheusServer server)
    {
        var endpoint = new Uri(server.Address, "api/v1/query");
        HttpRequestMessage request;
        if (Options.UsePost)
        {
            request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new FormUrlEncodedContent([new("query", promQl), new("timeout", _timeoutText)]),
            };
        }
        else
        {
            var url = $"{endpoint.AbsoluteUri}?query={Uri.EscapeDataString(promQl)}&timeout={Uri.EscapeDataString(_timeoutText)}";
            request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in server.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Dispose();
                throw new MetricTemplateException(
                    $"{server.Template} has a provider header \"{name}\" that cannot be sent as an HTTP request header.",
                    server.Template,
                    null);
            }
        }

        if (server.SendCredentials && !request.Headers.Contains("Authorization"))
        {
            if (!string.IsNullOrEmpty(Options.BearerToken))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.BearerToken);
            }
            else if (BasicCredentials(Options) is { } basic)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            }
        }

        return request;
    }

    private static PrometheusQueryException TooLarge(string promQl, PrometheusServer server, HttpStatusCode status) =>
        new($"Prometheus at {server.Display} answered more than {ResponseBody.MaxMebibytes} MiB; an analysis query must return one value. Query: {promQl}")
        {
            Query = promQl,
            StatusCode = status,
        };

    private PrometheusQueryException Logged(PrometheusQueryException exception)
    {
        PrometheusLog.Failed(_logger, exception.Message);
        return exception;
    }

    private static string? BasicCredentials(PrometheusOptions options) => string.IsNullOrEmpty(options.Username)
        ? null
        : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
}
