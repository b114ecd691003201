using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using Canary.Gates;
using Canary.Model;
using Canary.Notifications;
using Microsoft.Extensions.Logging;

namespace Canary.Events;

/// <summary>
/// Sends each event everywhere it goes: the log (with a stable EventId per type), the "Canary" meter, the current
/// trace, the host's event feed, the notifiers and the spec's event webhooks. A failing notifier is logged, never thrown.
/// </summary>
internal sealed class CanaryEventPublisher(
    ILogger logger,
    CanaryInstruments instruments,
    CanaryEventFeed feed,
    IEnumerable<INotifier> notifiers,
    WebhookGates webhooks)
{
    private static readonly FrozenDictionary<CanaryEventType, EventId> EventIds =
        Enum.GetValues<CanaryEventType>().ToFrozenDictionary(type => type, type => new EventId(1000 + (int)type, type.ToString()));

    private readonly INotifier[] _notifiers = notifiers.ToArray();

    public async ValueTask PublishAsync(CanaryResource canary, CanaryStatus status, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        Log(canaryEvent);
        if (instruments.Events.Enabled)
        {
            // Tagged by type only: a tag per canary would multiply the series by the number of canaries.
            instruments.Events.Add(1, new KeyValuePair<string, object?>("canary.event.type", EventIds[canaryEvent.Type].Name));
        }

        Activity.Current?.AddEvent(new ActivityEvent(canaryEvent.Type.ToString(), canaryEvent.Time));
        feed.Publish(canaryEvent);

        foreach (var notifier in _notifiers)
        {
            try
            {
                await notifier.NotifyAsync(canary, canaryEvent, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Notifier {Notifier} failed for canary {Canary}", notifier.GetType().Name, canary.Id);
            }
        }

        if (HasEventWebhooks(canary))
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["eventMessage"] = canaryEvent.Message,
                ["eventType"] = canaryEvent.Severity == AlertSeverity.Info ? "Normal" : "Warning",
                ["timestamp"] = canaryEvent.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            };
            await webhooks.NotifyAsync(canary, status, WebhookType.Event, metadata, cancellationToken);
        }
    }

    private void Log(CanaryEvent canaryEvent)
    {
        var level = canaryEvent.Type == CanaryEventType.CheckPassed
            ? LogLevel.Debug
            : canaryEvent.Severity switch
            {
                AlertSeverity.Error => LogLevel.Error,
                AlertSeverity.Warn => LogLevel.Warning,
                _ => LogLevel.Information,
            };
        if (logger.IsEnabled(level))
        {
            logger.Log(level, EventIds[canaryEvent.Type], "{Canary} {Message}", canaryEvent.Canary, canaryEvent.Message);
        }
    }

    private static bool HasEventWebhooks(CanaryResource canary)
    {
        foreach (var webhook in canary.Spec.Analysis.Webhooks)
        {
            if (webhook.Type == WebhookType.Event)
            {
                return true;
            }
        }

        return false;
    }
}
