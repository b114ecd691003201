using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Leadership;

/// <summary>The log messages of leader election, with stable event ids.</summary>
internal static partial class LeadershipLog
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "{Identity} acquired Lease {Namespace}/{Name} (transition {Transitions})")]
    public static partial void Acquired(ILogger logger, string identity, string @namespace, string name, int transitions);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "{Identity} lost Lease {Namespace}/{Name}: {Reason}")]
    public static partial void Lost(ILogger logger, string identity, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Information, Message = "{Identity} released Lease {Namespace}/{Name}")]
    public static partial void Released(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "{Identity} could not reach Lease {Namespace}/{Name}")]
    public static partial void Failed(ILogger logger, Exception exception, string identity, string @namespace, string name);

    [LoggerMessage(EventId = 3410, Level = LogLevel.Warning, Message = "Reconcile step of canary {Canary} failed; retrying at the next interval")]
    public static partial void StepFailed(ILogger logger, Exception exception, string canary);
}
