namespace Canary.Model;

/// <summary>A reusable metric query, as Flagger's <c>MetricTemplate</c> resource.</summary>
/// <param name="Name">The template's name.</param>
/// <param name="Namespace">The template's namespace.</param>
/// <param name="Provider">The metric provider the query is sent to.</param>
/// <param name="Query">The query, with <c>{{ namespace }}</c>, <c>{{ target }}</c>, <c>{{ interval }}</c> and <c>{{ variables.NAME }}</c> placeholders.</param>
public sealed record MetricTemplate(string Name, string Namespace, MetricProviderSpec Provider, string Query);
