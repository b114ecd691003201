namespace Canary.Analysis;

/// <summary>
/// Finds the credentials a <c>MetricTemplate</c> names with <c>provider.secretRef</c>: a Kubernetes Secret in the
/// template's namespace, or any store a host keeps them in. The values are credentials: callers never log them.
/// </summary>
public interface IMetricSecretResolver
{
    /// <summary>Reads one secret.</summary>
    /// <param name="secretNamespace">The namespace of the template that names the secret.</param>
    /// <param name="name">The secret's name, as <c>provider.secretRef</c> gives it.</param>
    /// <param name="cancellationToken">A token that cancels the look-up.</param>
    /// <returns>The secret's keys and values, or <see langword="null"/> if there is no such secret.</returns>
    ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string secretNamespace, string name, CancellationToken cancellationToken);
}
