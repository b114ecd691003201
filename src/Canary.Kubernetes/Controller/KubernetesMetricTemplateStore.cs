using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Controller;

/// <summary>
/// Finds the <c>MetricTemplate</c> objects that canaries' checks name in the cluster, reading each with the same reader as spec
/// files. Through a <see cref="KubernetesObjectCache"/>, a template that has not changed costs no request and is not read again.
/// </summary>
/// <remarks>A template that does not read (a field of the wrong type, an unknown provider) is logged and treated as missing,
/// which fails the check that names it, so nothing is promoted on it.</remarks>
public sealed class KubernetesMetricTemplateStore : IMetricTemplateStore
{
    private readonly IKubernetesApi _api;
    private readonly KubernetesObjectCache? _cache;
    private readonly ResourceType _resource;
    private readonly ILogger _logger;

    // Per template, the resourceVersion last read and what it read to, so that an unchanged template is not parsed again.
    private readonly ConcurrentDictionary<(string Namespace, string Name), (string Version, MetricTemplate? Template)> _read = new();

    /// <summary>Initializes a new instance of the <see cref="KubernetesMetricTemplateStore"/> class.</summary>
    /// <param name="api">The API.</param>
    /// <param name="cache">The cache reads go through, or <see langword="null"/> to read every template from the server.</param>
    /// <param name="resource">The MetricTemplate resource, or <see langword="null"/> for <c>canary.dev/v1</c> <c>metrictemplates</c>.</param>
    /// <param name="logger">Where invalid templates are logged, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="resource"/> is not a namespaced MetricTemplate resource.</exception>
    public KubernetesMetricTemplateStore(IKubernetesApi api, KubernetesObjectCache? cache = null, ResourceType? resource = null, ILogger<KubernetesMetricTemplateStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        resource ??= CanaryResourceTypes.MetricTemplate();
        if (!resource.Namespaced || resource.Kind != "MetricTemplate")
        {
            throw new ArgumentException($"Must be a namespaced MetricTemplate resource, not {resource.Kind} {resource}.", nameof(resource));
        }

        _api = api;
        _cache = cache;
        _resource = resource;
        _logger = logger ?? NullLogger<KubernetesMetricTemplateStore>.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="KubernetesException">The server refused the read.</exception>
    public async ValueTask<MetricTemplate?> GetAsync(string name, string templateNamespace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(templateNamespace);
        var obj = _cache is null
            ? await _api.TryGetAsync(_resource, templateNamespace, name, cancellationToken)
            : await _cache.GetAsync(_resource, templateNamespace, name, cancellationToken);
        var key = (templateNamespace, name);
        if (obj is null)
        {
            _read.TryRemove(key, out _);
            return null;
        }

        var version = KubernetesObject.GetResourceVersion(obj) ?? string.Empty;
        if (_read.TryGetValue(key, out var read) && read.Version == version && version.Length > 0)
        {
            return read.Template;
        }

        var template = Read(obj, templateNamespace, name);
        _read[key] = (version, template);
        return template;
    }

    private MetricTemplate? Read(JsonObject obj, string templateNamespace, string name)
    {
        obj.Remove("status");
        var result = CanaryManifestReader.Read(obj.ToJsonString());
        if (result is { IsValid: true, Manifest.MetricTemplates: [var template] })
        {
            return template;
        }

        var errors = result.Errors.Count > 0
            ? string.Join("; ", result.Errors.Select(e => e.ToString()))
            : $"\"{obj["apiVersion"]}\" is not a MetricTemplate version Canary reads";
        ControllerLog.InvalidTemplate(_logger, templateNamespace, name, errors);
        return null;
    }
}
