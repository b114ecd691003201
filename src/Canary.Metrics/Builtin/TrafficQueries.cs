using Canary.Metrics.Templates;

namespace Canary.Metrics.Builtin;

/// <summary>
/// The three queries that count what one workload served in a window, for the statistical judge: each reads the series the
/// builtin metrics of the same provider read, with <c>increase(…[{{ interval }}])</c> over the window.
/// </summary>
/// <param name="Requests">The requests served: one value.</param>
/// <param name="Errors">The requests that failed (5xx, or the mesh's failure class): one value, or an empty vector when there were none.</param>
/// <param name="Buckets">The request-duration histogram: one series per bucket, labelled <c>le</c>.</param>
/// <param name="MillisecondsPerUnit">What one unit of the histogram's <c>le</c> is in milliseconds: 1000 for seconds, 1 for milliseconds.</param>
internal sealed record TrafficQueries(PromQlTemplate Requests, PromQlTemplate Errors, PromQlTemplate Buckets, double MillisecondsPerUnit);
