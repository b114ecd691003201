using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Canary.Events;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Notifications;

/// <summary>
/// Posts a canary's events to the providers its <c>analysis.alerts</c> name, each in the provider's own format
/// (Slack, Microsoft Teams, Discord, Rocket.Chat, or the event as JSON). An alert receives the events at or above its
/// severity: <c>info</c> all of them, <c>warn</c> warnings and errors, <c>error</c> errors only. Passed checks, and the
/// waits of confirm hooks with <c>muteAlert</c>, are never sent.
/// </summary>
/// <remarks>
/// A provider's address holds its token, so failures are logged with the alert's and provider's names, the status code
/// or the kind of network error, and never with the address or an exception's text. A failure is logged, never thrown.
/// </remarks>
public sealed class AlertNotifier : INotifier, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly IAlertProviderStore _providers;
    private readonly AlertNotifierOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _direct;
    private readonly ConcurrentDictionary<Uri, HttpClient> _proxied = new();

    /// <summary>Initializes a new instance of the <see cref="AlertNotifier"/> class.</summary>
    /// <param name="providers">Where the providers that alerts name are found.</param>
    /// <param name="options">The notifier's options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger for failed deliveries, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timeouts, or <see langword="null"/> for the system clock.</param>
    public AlertNotifier(
        IAlertProviderStore providers,
        IOptions<AlertNotifierOptions>? options = null,
        ILogger<AlertNotifier>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers;
        _options = options?.Value ?? new AlertNotifierOptions();
        _logger = logger ?? NullLogger<AlertNotifier>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _direct = CreateClient(null);
    }

    /// <inheritdoc />
    public async ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(canaryEvent);
        if (canaryEvent.Type == CanaryEventType.CheckPassed || IsMuted(canary, canaryEvent))
        {
            return;
        }

        foreach (var alert in canary.Spec.Analysis.Alerts)
        {
            if (canaryEvent.Severity < alert.Severity)
            {
                continue;
            }

            var @namespace = alert.ProviderRef.Namespace ?? canary.Id.Namespace;
            AlertProvider? provider;
            try
            {
                provider = await _providers.GetAsync(alert.ProviderRef.Name, @namespace, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A store's exception may quote the provider it read, address and all.
                _logger.LogWarning("Alert {Alert} of canary {Canary}: looking up provider {Namespace}/{Provider} failed: {Failure}",
                    alert.Name, canary.Id, @namespace, alert.ProviderRef.Name, exception.GetType().Name);
                continue;
            }

            if (provider is null)
            {
                _logger.LogWarning("Alert {Alert} of canary {Canary} names provider {Namespace}/{Provider}, which does not exist",
                    alert.Name, canary.Id, @namespace, alert.ProviderRef.Name);
                continue;
            }

            await SendAsync(canary.Id, alert, provider, canaryEvent, cancellationToken);
        }
    }

    /// <summary>Releases the HTTP clients.</summary>
    public void Dispose()
    {
        _direct.Dispose();
        foreach (var client in _proxied.Values)
        {
            client.Dispose();
        }
    }

    private async ValueTask SendAsync(CanaryId canary, AlertSpec alert, AlertProvider provider, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        // Created before the first await, so that a test's manual clock can time the post out deterministically.
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string failure;
        try
        {
            using var content = new ByteArrayContent(AlertPayloads.Build(provider, canaryEvent));
            content.Headers.ContentType = JsonContentType;
            var client = provider.Proxy is null ? _direct : _proxied.GetOrAdd(provider.Proxy, CreateClient);
            using var response = await client.PostAsync(provider.Address, content, linked.Token);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            failure = $"status {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"timed out after {_options.Timeout.TotalSeconds:0.###}s";
        }
        catch (HttpRequestException exception)
        {
            // Its message may quote the address; its error kind does not.
            failure = exception.HttpRequestError.ToString();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failure = exception.GetType().Name;
        }

        _logger.LogWarning("Alert {Alert} of canary {Canary} was not delivered by {ProviderType} provider {Provider}: {Failure}",
            alert.Name, canary, provider.Type, provider.Name, failure);
    }

    private static bool IsMuted(CanaryResource canary, CanaryEvent canaryEvent)
    {
        if (canaryEvent.Type != CanaryEventType.Waiting || canaryEvent.Webhook is null)
        {
            return false;
        }

        foreach (var webhook in canary.Spec.Analysis.Webhooks)
        {
            if (webhook.Name == canaryEvent.Webhook && webhook.MuteAlert)
            {
                return true;
            }
        }

        return false;
    }

    private static HttpClient CreateClient(Uri? proxy)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (proxy is not null)
        {
            var webProxy = new WebProxy(new UriBuilder(proxy) { UserName = string.Empty, Password = string.Empty }.Uri);
            if (!string.IsNullOrEmpty(proxy.UserInfo))
            {
                var parts = proxy.UserInfo.Split(':', 2);
                webProxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            }

            handler.Proxy = webProxy;
            handler.UseProxy = true;
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
