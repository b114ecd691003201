using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Client;

/// <summary>The client's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Retrying {Request} in {Delay} (retry {Attempt}) after {Outcome}")]
    public static partial void RetryingRequest(ILogger logger, string request, TimeSpan delay, int attempt, string outcome);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Skipped a malformed line in the watch of {Resource}: {Problem}")]
    public static partial void MalformedWatchLine(ILogger logger, string resource, string problem);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Credentials were rejected (401) for {Request}; refreshing them and trying once more")]
    public static partial void RefreshingCredentials(ILogger logger, string request);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Debug, Message = "Informer for {Resource} listed {Count} objects at resource version {ResourceVersion}")]
    public static partial void InformerListed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Information, Message = "Informer for {Resource} lists again: {Reason}")]
    public static partial void InformerRelisting(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Informer for {Resource} failed; resuming from resource version {ResourceVersion} in {Delay}")]
    public static partial void InformerFailed(ILogger logger, Exception exception, string resource, string? resourceVersion, TimeSpan delay);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Error, Message = "A change handler of the informer for {Resource} threw")]
    public static partial void InformerHandlerFailed(ILogger logger, Exception exception, string resource);
}
