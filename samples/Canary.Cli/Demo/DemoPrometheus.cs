using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Canary.Metrics.Prometheus;

namespace Canary.Cli.Demo;

/// <summary>
/// A real Prometheus server for <c>canary demo --prometheus</c>: the <c>prometheus</c> binary started on 127.0.0.1 on a free
/// port, with a temporary configuration that scrapes one target (the <see cref="WeightedProxy"/>'s <c>/metrics</c>) at a short
/// interval and a temporary data folder, both deleted on dispose, when the process is stopped.
/// </summary>
public sealed class DemoPrometheus : IAsyncDisposable
{
    /// <summary>The scrape job's name, which Prometheus puts in the <c>job</c> label of every scraped series.</summary>
    public const string JobName = "demo-proxy";

    /// <summary>Where Debian's <c>prometheus</c> package installs the server, looked at when it is not on PATH.</summary>
    public const string DebianPath = "/usr/bin/prometheus";

    private const int MaxOutputChars = 16 * 1024;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly PrometheusMetricProvider _query;
    private long _ownQueries;
    private bool _disposed;

    private DemoPrometheus(Process process, string directory, Uri address, Uri target, TimeSpan scrapeInterval)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Target = target;
        ScrapeInterval = scrapeInterval;
        _query = new PrometheusMetricProvider(_http, new PrometheusOptions { Address = address });
    }

    /// <summary>Gets Prometheus' address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the scraped target's address; Prometheus reads its <c>/metrics</c>.</summary>
    public Uri Target { get; }

    /// <summary>Gets how often the target is scraped.</summary>
    public TimeSpan ScrapeInterval { get; }

    /// <summary>Gets the temporary folder that holds the configuration and the data; it is deleted on dispose.</summary>
    public string Directory => _directory;

    /// <summary>Gets what the server printed so far (its last 16 KiB), for error messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Finds the <c>prometheus</c> binary: on PATH, else at <see cref="DebianPath"/>.</summary>
    /// <returns>Its path, or <see langword="null"/> when it is not installed.</returns>
    public static string? FindBinary() => FindBinary(Environment.GetEnvironmentVariable("PATH"), DebianPath);

    /// <summary>Finds the <c>prometheus</c> binary in the folders of <paramref name="pathVariable"/>, else at <paramref name="fallback"/>.</summary>
    internal static string? FindBinary(string? pathVariable, string fallback)
    {
        var onPath = (pathVariable ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "prometheus"))
            .FirstOrDefault(File.Exists);
        return onPath ?? (File.Exists(fallback) ? fallback : null);
    }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/>'s <c>/metrics</c> every <paramref name="scrapeInterval"/>, and waits
    /// until the target is up (scraped successfully), at most <paramref name="startTimeout"/>.
    /// </summary>
    /// <param name="binary">The <c>prometheus</c> binary, usually <see cref="FindBinary"/>'s.</param>
    /// <param name="target">The exporter's address (scheme, host and port; the path is <c>/metrics</c>).</param>
    /// <param name="scrapeInterval">How often to scrape, at least 100 ms.</param>
    /// <param name="startTimeout">How long to wait for the server and the first successful scrape.</param>
    /// <param name="cancellationToken">Stops waiting; the server is then stopped.</param>
    /// <returns>The running server; dispose it to stop it and delete its folder.</returns>
    /// <exception cref="ArgumentException">The binary does not exist or the scrape interval is too short.</exception>
    /// <exception cref="InvalidOperationException">Prometheus exited while starting; the message holds its output.</exception>
    /// <exception cref="TimeoutException">Prometheus was not ready, or the target not up, in time; the message says which.</exception>
    public static async Task<DemoPrometheus> StartAsync(string binary, Uri target, TimeSpan scrapeInterval, TimeSpan startTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(binary);
        ArgumentNullException.ThrowIfNull(target);
        if (!File.Exists(binary))
        {
            throw new ArgumentException($"The prometheus binary {binary} does not exist.", nameof(binary));
        }

        if (scrapeInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentException($"The scrape interval must be at least 100 ms, not {scrapeInterval.TotalMilliseconds} ms.", nameof(scrapeInterval));
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("canary-demo-prometheus-").FullName;
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var config = Path.Combine(directory, "prometheus.yml");
        var interval = $"{(long)scrapeInterval.TotalMilliseconds}ms";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
              evaluation_interval: {interval}
            scrape_configs:
              - job_name: {JobName}
                static_configs:
                  - targets: ['{target.Authority}']
            """, cancellationToken);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new DemoPrometheus(new Process { StartInfo = start }, directory, address, target, scrapeInterval);
        try
        {
            server.StartProcess();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(startTimeout);
            await server.WaitUntilTargetUpAsync(startTimeout, timeout.Token, cancellationToken);
            server._ownQueries = await server.CountQueriesAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Counts the instant queries (<c>/api/v1/query</c>) Prometheus answered since it was started, from its own
    /// <c>prometheus_http_requests_total</c>, not counting those this class sent while waiting for the target.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The number of queries answered, whatever their status.</returns>
    /// <exception cref="HttpRequestException">Prometheus did not answer.</exception>
    public async Task<long> CountQueriesAsync(CancellationToken cancellationToken = default)
    {
        var text = await _http.GetStringAsync(new Uri(Address, "metrics"), cancellationToken);
        return QueriesIn(text) - _ownQueries;
    }

    /// <summary>Stops the server and deletes its configuration and data.</summary>
    /// <returns>A task that completes when the process has exited and the folder is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or exited between the check and the kill.
        }
        catch (TimeoutException)
        {
            // Killed but not reaped in time; its folder may still be in use, so it is removed best effort below.
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            if (System.IO.Directory.Exists(_directory))
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary folder left behind is not worth failing the demo over.
        }
    }

    private void StartProcess()
    {
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitUntilTargetUpAsync(TimeSpan limit, CancellationToken timeout, CancellationToken cancellationToken)
    {
        var ready = false;
        var up = $"min(up{{job=\"{JobName}\"}})";
        try
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode} while starting:\n{Output}");
                }

                try
                {
                    if (!ready)
                    {
                        using var response = await _http.GetAsync(new Uri(Address, "-/ready"), timeout);
                        ready = response.StatusCode == HttpStatusCode.OK;
                    }

                    if (ready && (await _query.EvaluateAsync(up, timeout)).Value == 1)
                    {
                        return;
                    }
                }
                catch (Exception exception) when (!timeout.IsCancellationRequested && exception is HttpRequestException or PrometheusQueryException or OperationCanceledException)
                {
                    // Not listening, or not answering queries, yet (or one request was slow).
                }

                await Task.Delay(Poll, timeout);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var what = ready ? $"did not scrape {Target.Authority}/metrics successfully" : "was not ready";
            throw new TimeoutException($"prometheus at {Address} {what} within {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s. Its output:\n{Output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - MaxOutputChars);
            }
        }
    }

    // One sample per status code: prometheus_http_requests_total{code="200",handler="/api/v1/query"} 12
    internal static long QueriesIn(string exposition)
    {
        long total = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith("prometheus_http_requests_total{", StringComparison.Ordinal)
                && line.Contains("handler=\"/api/v1/query\"", StringComparison.Ordinal)
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                total += (long)value;
            }
        }

        return total;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
