using Canary.Kubernetes.Client;
using Canary.Model;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Controller;

/// <summary>The log messages of the canary controller and the metric template store, with stable event ids.</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 3500, Level = LogLevel.Information, Message = "Watching {Resource} in {Scope}")]
    public static partial void Watching(ILogger logger, ResourceType resource, string scope);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Running canary {Canary} (generation {Generation}) every {Interval}")]
    public static partial void Started(ILogger logger, CanaryId canary, long generation, TimeSpan interval);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Canary {Canary} changed to generation {Generation}; stepping at once")]
    public static partial void SpecChanged(ILogger logger, CanaryId canary, long generation);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Information, Message = "Canary {Canary} was deleted; its loop stopped")]
    public static partial void Deleted(ILogger logger, CanaryId canary);

    [LoggerMessage(EventId = 3504, Level = LogLevel.Warning, Message = "Canary {Canary} (generation {Generation}) is invalid and is not run: {Errors}")]
    public static partial void Invalid(ILogger logger, CanaryId canary, long generation, string errors);

    [LoggerMessage(EventId = 3505, Level = LogLevel.Warning, Message = "Reconcile step of canary {Canary} failed; retrying at the next interval")]
    public static partial void StepFailed(ILogger logger, Exception exception, CanaryId canary);

    [LoggerMessage(EventId = 3506, Level = LogLevel.Warning, Message = "Could not report the invalid spec of canary {Canary} on its object")]
    public static partial void ReportFailed(ILogger logger, Exception exception, CanaryId canary);

    [LoggerMessage(EventId = 3507, Level = LogLevel.Information, Message = "Stopped running {Count} canaries: {Reason}")]
    public static partial void StoppedAll(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3508, Level = LogLevel.Warning, Message = "The leader election request failed; trying again in {Delay}")]
    public static partial void ElectionFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 3509, Level = LogLevel.Warning, Message = "The step of canary {Canary} did not finish within {Timeout} of the stop; cancelled it")]
    public static partial void StepCancelled(ILogger logger, CanaryId canary, TimeSpan timeout);

    [LoggerMessage(EventId = 3510, Level = LogLevel.Warning, Message = "Could not release the Lease on stopping; others take over when it expires")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3511, Level = LogLevel.Information, Message = "Controller stopped; the Lease is released")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3512, Level = LogLevel.Information, Message = "Canary {Canary} (generation {Generation}) is valid again")]
    public static partial void ValidAgain(ILogger logger, CanaryId canary, long generation);

    [LoggerMessage(EventId = 3513, Level = LogLevel.Warning, Message = "A handler of the controller's {Event} threw; ignored")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, Type @event);

    [LoggerMessage(EventId = 3520, Level = LogLevel.Warning, Message = "MetricTemplate {Namespace}/{Name} is invalid and is treated as missing: {Errors}")]
    public static partial void InvalidTemplate(ILogger logger, string @namespace, string name, string errors);
}
