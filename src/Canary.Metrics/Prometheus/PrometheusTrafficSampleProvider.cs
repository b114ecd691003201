using System.Globalization;
using Canary.Analysis;
using Canary.Metrics.Builtin;
using Canary.Metrics.Templates;
using Canary.Model;
using Canary.Workloads;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Prometheus;

/// <summary>
/// Counts what a canary's workloads served for the statistical judge (<c>analysis.judge</c>) from the series the builtin metrics of
/// its traffic provider read: three instant queries per workload, <c>increase(…[window])</c> of the request counter, of its 5xx
/// part and of the request-duration histogram's buckets, mapped to <see cref="TrafficCounts"/>.
/// </summary>
/// <remarks>
/// <para>
/// An empty vector is a count of zero (a workload that served nothing, or a counter with no 5xx series yet). Counts are rounded to
/// whole requests, since <c>increase</c> extrapolates to the window's edges; errors are capped at the requests. The buckets are
/// sorted by bound, converted to milliseconds and made cumulative-monotone; a histogram without a <c>+Inf</c> bucket gives no buckets,
/// which leaves the latency tests without evidence rather than with wrong evidence.
/// </para>
/// <para>
/// A window shorter than two scrape intervals has at most one sample of each series, and <c>increase</c> answers nothing: keep
/// <c>analysis.interval</c> well above the scrape interval. A provider without such series (<c>smi</c>, or the baseline of
/// <c>nginx</c>) throws <see cref="MetricTemplateException"/>; an error of Prometheus throws <see cref="PrometheusQueryException"/>.
/// The engine counts either as a failed check.
/// </para>
/// </remarks>
public sealed class PrometheusTrafficSampleProvider : ITrafficSampleProvider
{
    private const string CheckName = "traffic-samples";

    private readonly PrometheusClient _client;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="PrometheusTrafficSampleProvider"/> class with a client the caller owns.</summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="options">The options: the server, its credentials and the query timeout.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusTrafficSampleProvider(HttpClient httpClient, PrometheusOptions options, ILogger<PrometheusTrafficSampleProvider>? logger = null, TimeProvider? timeProvider = null)
        : this(PrometheusClient.Fixed(httpClient), options, logger, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusTrafficSampleProvider"/> class with the clients of <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">The factory of the <see cref="PrometheusMetricProvider.HttpClientName"/> client.</param>
    /// <param name="options">The options: the server, its credentials and the query timeout.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock of the query timeout, or <see langword="null"/> for the system's.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public PrometheusTrafficSampleProvider(IHttpClientFactory httpClientFactory, IOptions<PrometheusOptions> options, ILogger<PrometheusTrafficSampleProvider> logger, TimeProvider? timeProvider = null)
        : this(PrometheusClient.FromFactory(httpClientFactory), (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, timeProvider)
    {
    }

    private PrometheusTrafficSampleProvider(Func<bool, HttpClient> client, PrometheusOptions options, ILogger? logger, TimeProvider? timeProvider)
    {
        _logger = logger ?? NullLogger.Instance;
        _client = new PrometheusClient(client, options, _logger, timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="MetricTemplateException">The canary's traffic provider has no series for this workload, or a value cannot go into a query.</exception>
    /// <exception cref="PrometheusQueryException">Prometheus could not answer, or answered something that is not a count.</exception>
    public async ValueTask<TrafficCounts> GetCountsAsync(CanaryResource canary, WorkloadRole role, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);

        // The placeholders are those of a builtin metric measured over the window, so {{ target }} and the rest mean the same.
        var query = new MetricQuery(canary, new MetricCheck { Name = CheckName, Interval = window }, null) { Role = role };
        var queries = BuiltinTrafficQueries.Get(query.TrafficProvider, role);
        var context = MetricTemplateContext.FromQuery(query);
        var requests = await CountAsync(queries.Requests.Render(context), cancellationToken);
        var errors = await CountAsync(queries.Errors.Render(context), cancellationToken);
        var buckets = await BucketsAsync(queries.Buckets.Render(context), queries.MillisecondsPerUnit, cancellationToken);
        var counts = new TrafficCounts(requests, Math.Min(errors, requests)) { LatencyBuckets = buckets };
        PrometheusLog.Counted(_logger, _client.Configured.Display, role, canary.Id, counts.Requests, counts.Errors, buckets.Count);
        return counts;
    }

    private Task<long> CountAsync(string promQl, CancellationToken cancellationToken) =>
        _client.QueryAsync(promQl, _client.Configured, answer =>
        {
            var samples = PrometheusResponse.ReadSamples(answer, _client.Redact);
            return samples.Count switch
            {
                0 => 0,
                1 => Count(samples[0].Value, answer),
                _ => throw Refused(answer, $"returned {samples.Count} series where one count was expected"),
            };
        }, cancellationToken);

    private Task<IReadOnlyList<LatencyBucket>> BucketsAsync(string promQl, double millisecondsPerUnit, CancellationToken cancellationToken) =>
        _client.QueryAsync(promQl, _client.Configured, answer =>
        {
            var counts = new SortedDictionary<double, long>();
            foreach (var sample in PrometheusResponse.ReadSamples(answer, _client.Redact))
            {
                if (!sample.Labels.TryGetValue("le", out var le) || Bound(le) is not { } bound)
                {
                    throw Refused(answer, "returned a histogram bucket without a numeric \"le\" label");
                }

                // Older servers may write one bound two ways ("0.1", "0.10"): they are one bucket.
                var milliseconds = double.IsPositiveInfinity(bound) ? bound : bound * millisecondsPerUnit;
                counts[milliseconds] = counts.GetValueOrDefault(milliseconds) + Count(sample.Value, answer);
            }

            if (counts.Count == 0 || !double.IsPositiveInfinity(counts.Keys.Last()))
            {
                return (IReadOnlyList<LatencyBucket>)[];
            }

            // increase() extrapolates each bucket on its own, so rounding can leave a bucket a request below the one before it.
            var buckets = new List<LatencyBucket>(counts.Count);
            var running = 0L;
            foreach (var (bound, count) in counts)
            {
                running = Math.Max(running, count);
                buckets.Add(new LatencyBucket(bound, running));
            }

            return buckets;
        }, cancellationToken);

    private static long Count(double value, PrometheusAnswer answer) =>
        double.IsFinite(value) && value >= 0
            ? (long)Math.Round(value, MidpointRounding.AwayFromZero)
            : throw Refused(answer, $"returned {value.ToString(CultureInfo.InvariantCulture)}, which is not a count of requests");

    private static double? Bound(string le) => le switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        _ when double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) && bound >= 0 => bound,
        _ => null,
    };

    private static PrometheusQueryException Refused(PrometheusAnswer answer, string problem) =>
        new($"Prometheus at {answer.Server} {problem}. Query: {answer.Query}")
        {
            Query = answer.Query,
            StatusCode = answer.Status,
        };
}
