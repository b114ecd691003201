using System.Diagnostics;
using Canary.Cli.Demo;
using Canary.Metrics.Prometheus;

namespace Canary.Cli.Tests.Demo;

/// <summary>The demo's <see cref="DemoPrometheus"/> scraping one target every second, with a client for the tests' own queries.</summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly DemoPrometheus _server;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private PrometheusServer(DemoPrometheus server)
    {
        _server = server;
        Provider = new PrometheusMetricProvider(_http, new PrometheusOptions { Address = server.Address });
    }

    public static string? BinaryPath { get; } = DemoPrometheus.FindBinary();

    public Uri Address => _server.Address;

    public PrometheusMetricProvider Provider { get; }

    /// <summary>Starts Prometheus scraping <paramref name="target"/>'s /metrics every second and waits until the target is up.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        var binary = BinaryPath ?? throw new InvalidOperationException(PrometheusFactAttribute.MissingMessage);
        return new PrometheusServer(await DemoPrometheus.StartAsync(binary, target, TimeSpan.FromSeconds(1), StartTimeout));
    }

    /// <summary>Waits until every series of <paramref name="metric"/> has been scraped at least <paramref name="scrapes"/> times in the last minute.</summary>
    public async Task WaitForScrapesAsync(string metric, int scrapes)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            var result = await Provider.EvaluateAsync($"min(count_over_time({metric}[1m]))", CancellationToken.None);
            if (result.Value >= scrapes)
            {
                return;
            }

            await Task.Delay(Poll);
        }

        throw new TimeoutException($"Prometheus did not scrape {metric} {scrapes} times within {StartTimeout.TotalSeconds}s. Its output:\n{_server.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }
}
