using Canary.Kubernetes.Client;
using Canary.Model;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Workloads;

/// <summary>The log messages of the workload controller and the object cache, with stable event ids.</summary>
internal static partial class WorkloadLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Debug, Message = "Started an informer for {Resource} in namespace {Namespace}")]
    public static partial void CacheStarted(ILogger logger, ResourceType resource, string @namespace);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "The informer for {Resource} in namespace {Namespace} has not listed within {Timeout}; reading from the server until it has")]
    public static partial void CacheNotSynced(ILogger logger, ResourceType resource, string @namespace, TimeSpan timeout);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Created {Kind} {Namespace}/{Name} for canary {Canary}")]
    public static partial void Created(ILogger logger, string kind, string @namespace, string name, CanaryId canary);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Updated {Kind} {Namespace}/{Name} for canary {Canary}: {What}")]
    public static partial void Updated(ILogger logger, string kind, string @namespace, string name, CanaryId canary, string what);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Information, Message = "Scaled Deployment {Namespace}/{Name} to {Replicas} replicas for canary {Canary}")]
    public static partial void Scaled(ILogger logger, string @namespace, string name, int replicas, CanaryId canary);

    [LoggerMessage(EventId = 3213, Level = LogLevel.Information,
        Message = "Initialization of canary {Canary} waits for Deployment {Primary}: {Reason}")]
    public static partial void InitializationWaits(ILogger logger, CanaryId canary, string primary, string? reason);

    [LoggerMessage(EventId = 3214, Level = LogLevel.Information, Message = "Deleted {Kind} {Namespace}/{Name} for canary {Canary}")]
    public static partial void Deleted(ILogger logger, string kind, string @namespace, string name, CanaryId canary);
}
