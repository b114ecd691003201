using Microsoft.Extensions.Logging;

namespace Canary.Metrics.Http;

/// <summary>
/// The log messages of the Datadog, New Relic, Graphite and CloudWatch providers, with stable event ids. Queries are
/// logged; credentials and headers never are.
/// </summary>
internal static partial class MetricQueryLog
{
    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Querying {Provider} at {Server}: {Query}")]
    public static partial void Querying(ILogger logger, string provider, string server, string query);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Debug, Message = "{Provider} at {Server} answered {Value} for {Query}")]
    public static partial void Answered(ILogger logger, string provider, string server, double value, string query);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "{Provider} at {Server} has no data: {Detail}")]
    public static partial void NoData(ILogger logger, string provider, string server, string? detail);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "{Provider} query failed: {Reason}")]
    public static partial void Failed(ILogger logger, string provider, string reason);
}
