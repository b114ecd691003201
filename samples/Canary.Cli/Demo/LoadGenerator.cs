using System.Net;
using System.Text.Json;

namespace Canary.Cli.Demo;

/// <summary>
/// Sends real HTTP GET requests to one address at a target rate with a bounded number in flight, and counts the answers by the
/// version the app's JSON names. Stops cleanly when cancelled: no new request starts, those in flight are abandoned and not
/// counted, and <see cref="RunAsync"/> returns the report.
/// </summary>
public sealed class LoadGenerator : IDisposable
{
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(1);
    private readonly Uri _target;
    private readonly LoadGeneratorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _client;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Ok, long Failed)> _byVersion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Ok, long Failed)> _markedByVersion = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _byStatus = [];
    private long _sent;
    private long _answered;
    private long _transportFailures;
    private int _running;

    /// <summary>Initializes a new instance of the <see cref="LoadGenerator"/> class.</summary>
    /// <param name="target">The address to load, for example the proxy's.</param>
    /// <param name="options">Rate, concurrency, marking and limits, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public LoadGenerator(Uri target, LoadGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        options ??= new LoadGeneratorOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The LoadGeneratorOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _target = new Uri(target, options.Path);
        _options = options;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _random = new Random(options.Seed);
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = options.MaxConcurrency,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Returns what was sent and answered so far; safe to call while the generator runs.</summary>
    /// <returns>The report.</returns>
    public LoadReport Snapshot()
    {
        lock (_gate)
        {
            return new LoadReport(
                _sent,
                _answered,
                _transportFailures,
                _byVersion.ToDictionary(pair => pair.Key, pair => new VersionCount(pair.Value.Ok, pair.Value.Failed), StringComparer.Ordinal),
                _markedByVersion.ToDictionary(pair => pair.Key, pair => new VersionCount(pair.Value.Ok, pair.Value.Failed), StringComparer.Ordinal),
                new Dictionary<int, long>(_byStatus));
        }
    }

    /// <summary>Sends requests until <paramref name="cancellationToken"/> is cancelled or <see cref="LoadGeneratorOptions.MaxRequests"/> were answered or failed.</summary>
    /// <param name="cancellationToken">Stops the load; cancellation is the normal way to end it and does not throw.</param>
    /// <returns>The report: everything counted since the generator was created.</returns>
    /// <exception cref="InvalidOperationException">The generator is already running.</exception>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The load generator is already running.");
        }

        using var slots = new SemaphoreSlim(_options.MaxConcurrency);
        var inFlight = new List<Task>();
        try
        {
            var interval = _options.RequestsPerSecond is { } rate ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
            var origin = _timeProvider.GetTimestamp();
            long scheduled = 0;
            for (long i = 0; _options.MaxRequests is not { } max || i < max; i++)
            {
                if (interval > TimeSpan.Zero)
                {
                    var due = interval * scheduled;
                    var elapsed = _timeProvider.GetElapsedTime(origin);
                    if (elapsed - due > MaxLag)
                    {
                        // Far behind (a slow machine): start the schedule again instead of sending a burst to catch up.
                        origin = _timeProvider.GetTimestamp();
                        scheduled = 0;
                    }
                    else if (due > elapsed)
                    {
                        await Task.Delay(due - elapsed, _timeProvider, cancellationToken);
                    }

                    scheduled++;
                }

                await slots.WaitAsync(cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    // The slot came free because the stop abandoned a request; the stop wins.
                    slots.Release();
                    break;
                }

                inFlight.RemoveAll(task => task.IsCompleted);
                inFlight.Add(SendOneAsync(slots, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancellation is how the load ends.
        }
        finally
        {
            await Task.WhenAll(inFlight);
            Volatile.Write(ref _running, 0);
        }

        return Snapshot();
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests at once, at most <see cref="LoadGeneratorOptions.MaxConcurrency"/> in flight, and
    /// returns when every one is answered or failed: the users' share of one tick of a demo on virtual time, where the driver moves
    /// the clock only after the tick's requests are answered (so <see cref="LoadGeneratorOptions.RequestsPerSecond"/> is the driver's
    /// business, not this method's). <see cref="LoadGeneratorOptions.MaxRequests"/> still caps what is sent in all.
    /// </summary>
    /// <param name="count">How many requests; not negative.</param>
    /// <param name="cancellationToken">Abandons the requests in flight, which are then not counted.</param>
    /// <returns>A task that completes when every request of the batch is done.</returns>
    public async Task SendAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_options.MaxRequests is { } max)
        {
            lock (_gate)
            {
                count = (int)Math.Clamp(max - _sent, 0, count);
            }
        }

        using var slots = new SemaphoreSlim(_options.MaxConcurrency);
        var batch = new List<Task>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await slots.WaitAsync(cancellationToken);
                batch.Add(SendOneAsync(slots, cancellationToken));
            }
        }
        finally
        {
            await Task.WhenAll(batch);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task SendOneAsync(SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _target);
            if (_options.Host is { } host)
            {
                request.Headers.Host = host;
            }

            var marked = Mark(request);
            lock (_gate)
            {
                _sent++;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                using var response = await _client.SendAsync(request, timeout.Token);
                var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                Count((int)response.StatusCode, VersionOf(body), marked);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Abandoned by the stop: neither an answer nor a failure.
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                lock (_gate)
                {
                    _transportFailures++;
                }
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private bool Mark(HttpRequestMessage request)
    {
        if (_options.Mark is not { } mark)
        {
            return false;
        }

        lock (_gate)
        {
            if (_random.NextDouble() >= mark.Fraction)
            {
                return false;
            }
        }

        if (mark.HeaderName is { } header)
        {
            request.Headers.TryAddWithoutValidation(header, mark.HeaderValue);
        }

        if (mark.CookieName is { } cookie)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{cookie}={mark.CookieValue}");
        }

        return true;
    }

    private void Count(int status, string version, bool marked)
    {
        var failed = status >= (int)HttpStatusCode.InternalServerError;
        lock (_gate)
        {
            _answered++;
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
            Add(_byVersion, version, failed);
            if (marked)
            {
                Add(_markedByVersion, version, failed);
            }
        }
    }

    private static void Add(Dictionary<string, (long Ok, long Failed)> counts, string version, bool failed)
    {
        var (ok, bad) = counts.GetValueOrDefault(version);
        counts[version] = failed ? (ok, bad + 1) : (ok + 1, bad);
    }

    private static string VersionOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version)
                && version.ValueKind == JsonValueKind.String
                ? version.GetString()!
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
