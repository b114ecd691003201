namespace Canary.Metrics.Http;

/// <summary>Marks the exceptions of the vendor providers, so that the shared query code logs them as failed queries.</summary>
internal interface IMetricQueryFailure
{
    /// <summary>Gets the query that failed.</summary>
    string? Query { get; }
}
