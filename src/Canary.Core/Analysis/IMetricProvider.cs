namespace Canary.Analysis;

/// <summary>
/// Turns a metric check into a number: Prometheus, Datadog, a simulation. A provider reports "no data" as a
/// <see cref="MetricResult"/> without a value; the engine judges it by the check's no-data policy.
/// </summary>
public interface IMetricProvider
{
    /// <summary>Gets the provider type this provider serves (a template's <c>provider.type</c>, for example <c>prometheus</c>), or <c>*</c> for any type.</summary>
    string Name { get; }

    /// <summary>Runs the query of one metric check.</summary>
    /// <param name="query">What to measure.</param>
    /// <param name="cancellationToken">A token that cancels the query.</param>
    /// <returns>The measured value, or no data.</returns>
    ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken);
}
