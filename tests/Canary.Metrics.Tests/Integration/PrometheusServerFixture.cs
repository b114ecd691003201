using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Canary.Metrics.Prometheus;

namespace Canary.Metrics.Tests.Integration;

/// <summary>
/// Starts the <see cref="NginxExporter"/> and a real Prometheus server that scrapes it every second, both on
/// 127.0.0.1, and waits until the window holds enough samples for <c>rate()</c>. Shared by the tests of one class.
/// </summary>
public sealed class PrometheusServerFixture : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SamplesTimeout = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly StringBuilder _output = new();
    private readonly HttpClient _httpClient = new() { Timeout = TimeSpan.FromSeconds(5) };
    private NginxExporter? _exporter;
    private Process? _process;
    private string? _directory;
    private Exception? _startFailure;

    /// <summary>Gets Prometheus' address.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1:1/");

    /// <summary>Gets the client the providers query the server with.</summary>
    public HttpClient HttpClient => _httpClient;

    /// <summary>Gets a provider that queries the server.</summary>
    public PrometheusMetricProvider Provider { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (PrometheusBinary.Path is null)
        {
            return;
        }

        try
        {
            _exporter = await NginxExporter.StartAsync();
            _directory = Directory.CreateTempSubdirectory("canary-prometheus-").FullName;
            var port = FreePort();
            Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            var config = Path.Combine(_directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: ingress-nginx
                    static_configs:
                      - targets: ['{_exporter.Address.Authority}']
                """);
            StartProcess(config, Path.Combine(_directory, "data"), port);
            Provider = new PrometheusMetricProvider(_httpClient, new PrometheusOptions { Address = Address });
            await WaitUntilReadyAsync();
            await WaitForSamplesAsync();
        }
        catch (Exception ex)
        {
            _startFailure = ex;
        }
    }

    /// <summary>Throws when the server could not be started, saying why.</summary>
    public void EnsureStarted()
    {
        if (PrometheusBinary.Path is null)
        {
            throw new InvalidOperationException(PrometheusBinary.MissingMessage);
        }

        if (_startFailure is not null)
        {
            throw new InvalidOperationException($"Prometheus did not start: {_startFailure.Message}\nIts output:\n{Output()}", _startFailure);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

        }

        if (_exporter is not null)
        {
            await _exporter.DisposeAsync();
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _process?.Dispose();
        _httpClient.Dispose();
    }

    private void StartProcess(string config, string data, int port)
    {
        var start = new ProcessStartInfo(PrometheusBinary.Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={data}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await _httpClient.GetAsync(new Uri(Address, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"prometheus was not ready within {ReadyTimeout.TotalSeconds}s.");
    }

    // rate() needs two samples in its window; three scrapes of every series leave room for one that was late.
    private async Task WaitForSamplesAsync()
    {
        const string Scrapes = "min(count_over_time(nginx_ingress_controller_requests[1m]))";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < SamplesTimeout)
        {
            var result = await Provider.EvaluateAsync(Scrapes, CancellationToken.None);
            if (result.Value >= 3)
            {
                return;
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"Prometheus did not scrape the exporter 3 times within {SamplesTimeout.TotalSeconds}s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
