using System.Collections.Concurrent;
using Canary.Model;

namespace Canary.Analysis;

/// <summary>Metric templates held in memory: those of a manifest file, or of a host that defines them in code.</summary>
public sealed class InMemoryMetricTemplateStore : IMetricTemplateStore
{
    private readonly ConcurrentDictionary<(string Name, string Namespace), MetricTemplate> _templates = new();

    /// <summary>Adds or replaces a template.</summary>
    /// <param name="template">The template.</param>
    public void Set(MetricTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        _templates[(template.Name, template.Namespace)] = template;
    }

    /// <inheritdoc />
    public ValueTask<MetricTemplate?> GetAsync(string name, string templateNamespace, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_templates.GetValueOrDefault((name, templateNamespace)));
}
