using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Secrets;

/// <summary>The log messages of the Secret resolver, with stable event ids. They name Secrets and count keys; values never appear.</summary>
internal static partial class SecretLog
{
    [LoggerMessage(EventId = 3500, Level = LogLevel.Debug, Message = "Read Secret {Namespace}/{Name} for a metric template: {Keys} keys")]
    public static partial void Read(ILogger logger, string @namespace, string name, int keys);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Secret {Namespace}/{Name}, named by a metric template, does not exist")]
    public static partial void NotFound(ILogger logger, string @namespace, string name);
}
