using Canary.Model;

namespace Canary.Specs;

/// <summary>The canaries and metric templates of one spec file.</summary>
/// <param name="Canaries">The <c>Canary</c> documents, in file order.</param>
/// <param name="MetricTemplates">The <c>MetricTemplate</c> documents, in file order.</param>
public sealed record CanaryManifest(IReadOnlyList<CanaryResource> Canaries, IReadOnlyList<MetricTemplate> MetricTemplates);
