using Canary.Model;

namespace Canary.Analysis;

/// <summary>Finds the <see cref="MetricTemplate"/> that a check's <c>templateRef</c> names.</summary>
public interface IMetricTemplateStore
{
    /// <summary>Finds a template.</summary>
    /// <param name="name">The template's name.</param>
    /// <param name="templateNamespace">The template's namespace.</param>
    /// <param name="cancellationToken">A token that cancels the look-up.</param>
    /// <returns>The template, or <see langword="null"/> if there is none.</returns>
    ValueTask<MetricTemplate?> GetAsync(string name, string templateNamespace, CancellationToken cancellationToken);
}
