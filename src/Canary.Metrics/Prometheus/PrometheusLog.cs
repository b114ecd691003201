using Canary.Model;
using Canary.Workloads;
using Microsoft.Extensions.Logging;

namespace Canary.Metrics.Prometheus;

/// <summary>The Prometheus provider's log messages, with stable event ids. Queries are logged; credentials and headers never are.</summary>
internal static partial class PrometheusLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Querying Prometheus at {Server}: {Query}")]
    public static partial void Querying(ILogger logger, string server, string query);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Prometheus at {Server} answered {Value} for {Query}")]
    public static partial void Answered(ILogger logger, string server, double value, string query);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Prometheus at {Server} has no data: {Detail}")]
    public static partial void NoData(ILogger logger, string server, string? detail);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Prometheus at {Server} warned about {Query}: {Warning}")]
    public static partial void Warning(ILogger logger, string server, string query, string warning);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Prometheus query failed: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug,
        Message = "Prometheus at {Server} counted for the {Role} of canary {Canary}: {Requests} requests, {Errors} errors, {Buckets} latency buckets")]
    public static partial void Counted(ILogger logger, string server, WorkloadRole role, CanaryId canary, long requests, long errors, int buckets);
}
