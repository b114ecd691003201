using System.Collections.Concurrent;
using Canary.Analysis;

namespace Canary.Metrics.Secrets;

/// <summary>Secrets held in memory: for tests, samples, and hosts that load credentials themselves.</summary>
public sealed class InMemoryMetricSecretResolver : IMetricSecretResolver
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), IReadOnlyDictionary<string, string>> _secrets = new();

    /// <summary>Adds or replaces a secret.</summary>
    /// <param name="secretNamespace">The secret's namespace: that of the templates that name it.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="values">The secret's keys and values, for example <c>datadog_api_key</c>.</param>
    public void Set(string secretNamespace, string name, IReadOnlyDictionary<string, string> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);

        // A copy, so that a caller changing its dictionary later does not change what queries see.
        _secrets[(secretNamespace, name)] = new Dictionary<string, string>(values, StringComparer.Ordinal);
    }

    /// <summary>Removes a secret.</summary>
    /// <param name="secretNamespace">The secret's namespace.</param>
    /// <param name="name">The secret's name.</param>
    /// <returns><see langword="true"/> if there was such a secret.</returns>
    public bool Remove(string secretNamespace, string name) => _secrets.TryRemove((secretNamespace, name), out _);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string secretNamespace, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secretNamespace);
        ArgumentNullException.ThrowIfNull(name);
        return ValueTask.FromResult(_secrets.GetValueOrDefault((secretNamespace, name)));
    }
}
