using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.State;

namespace Canary.Kubernetes.State;

/// <summary>
/// Keeps each canary's status in the <c>status</c> subresource of its Canary custom resource, as Flagger does, so that
/// <c>kubectl get canaries</c> shows it and a restarted engine resumes from it. The version of a status is the object's
/// <c>metadata.resourceVersion</c>; a save names it, and the server refuses the save when the status changed since.
/// </summary>
/// <remarks>
/// The Canary object must exist (it is the user's, applied with kubectl or GitOps); the store writes only its status, with a
/// merge patch of the fields it owns. An edit of the spec also changes the resourceVersion: a save that meets a conflict reads
/// the object again and, when only the spec or metadata changed and the status is still the one it read, saves over the new
/// version instead of failing. With a <see cref="KubernetesObjectCache"/>, reads of a status that has not changed make no
/// request.
/// </remarks>
public sealed class KubernetesCanaryStatusStore : ICanaryStatusStore
{
    private const int MaxSaveAttempts = 3;
    private readonly IKubernetesApi _api;
    private readonly KubernetesObjectCache? _cache;
    private readonly KubernetesCanaryStatusStoreOptions _options;

    // Per canary, the version last read or written and its status as canonical text: what a conflict is compared with.
    private readonly ConcurrentDictionary<CanaryId, (string Version, string Status)> _seen = new();

    /// <summary>Initializes a new instance of the <see cref="KubernetesCanaryStatusStore"/> class.</summary>
    /// <param name="api">The API.</param>
    /// <param name="cache">The cache that reads go through, or <see langword="null"/> to read every status from the server.</param>
    /// <param name="options">The custom resource and the field manager, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public KubernetesCanaryStatusStore(IKubernetesApi api, KubernetesObjectCache? cache = null, KubernetesCanaryStatusStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        options ??= new KubernetesCanaryStatusStoreOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The KubernetesCanaryStatusStoreOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        _cache = cache;
        _options = options;
    }

    /// <inheritdoc />
    /// <exception cref="FormatException">The stored status has a field of the wrong type; the message names it.</exception>
    public async ValueTask<VersionedStatus?> GetAsync(CanaryId id, CancellationToken cancellationToken)
    {
        var resource = _options.CanaryResource;
        var obj = _cache is null
            ? await _api.TryGetAsync(resource, id.Namespace, id.Name, cancellationToken)
            : await _cache.GetAsync(resource, id.Namespace, id.Name, cancellationToken);
        if (obj is null)
        {
            return null;
        }

        var version = KubernetesObject.GetResourceVersion(obj) ?? string.Empty;
        CanaryStatus? status;
        try
        {
            status = CanaryStatusJson.Read(obj["status"]);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{resource.Kind} {id.Namespace}/{id.Name}: {ex.Message}", ex);
        }

        _seen[id] = (version, JsonTree.Canonical(obj["status"]));
        return status is null ? null : new VersionedStatus(status, version);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The Canary object does not exist.</exception>
    public async ValueTask<VersionedStatus> SaveAsync(CanaryId id, CanaryStatus status, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var resource = _options.CanaryResource;
        var version = expectedVersion;
        if (version is null)
        {
            // Nothing was saved before: the object must be there without a status of ours, and stay so until the write.
            var current = await ReadCurrentAsync(id, cancellationToken);
            if (CanaryStatusJson.Read(current["status"]) is not null)
            {
                throw new CanaryStatusConflictException(id, expectedVersion);
            }

            version = KubernetesObject.GetResourceVersion(current);
            _seen[id] = (version ?? string.Empty, JsonTree.Canonical(current["status"]));
        }

        var body = CanaryStatusJson.Write(status);
        for (var attempt = 1; ; attempt++)
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = version },
                ["status"] = body.DeepClone(),
            };
            try
            {
                var saved = await _api.PatchStatusAsync(resource, id.Namespace, id.Name, KubernetesPatch.Merge(patch),
                    new PatchOptions { FieldManager = _options.FieldManager }, cancellationToken);
                var savedVersion = KubernetesObject.GetResourceVersion(saved) ?? string.Empty;
                _seen[id] = (savedVersion, JsonTree.Canonical(saved["status"]));
                _cache?.Invalidate(resource, id.Namespace, id.Name, savedVersion);
                return new VersionedStatus(status, savedVersion);
            }
            catch (KubernetesException ex) when (ex.IsNotFound)
            {
                _cache?.Invalidate(resource, id.Namespace, id.Name);
                throw Missing(id, ex);
            }
            catch (KubernetesException ex) when (ex.IsConflict)
            {
                _cache?.Invalidate(resource, id.Namespace, id.Name);
                var current = await ReadCurrentAsync(id, cancellationToken);
                if (attempt >= MaxSaveAttempts || !StatusUnchanged(id, version, current))
                {
                    throw new CanaryStatusConflictException($"The status of canary {id} changed since version '{expectedVersion ?? "(none)"}' was read.", ex);
                }

                version = KubernetesObject.GetResourceVersion(current);
                _seen[id] = (version ?? string.Empty, JsonTree.Canonical(current["status"]));
            }
            catch
            {
                // The write may have happened; read the object afresh next time.
                _cache?.Invalidate(resource, id.Namespace, id.Name);
                throw;
            }
        }
    }

    private bool StatusUnchanged(CanaryId id, string? version, JsonObject current) =>
        _seen.TryGetValue(id, out var seen) && seen.Version == version && seen.Status == JsonTree.Canonical(current["status"]);

    private async Task<JsonObject> ReadCurrentAsync(CanaryId id, CancellationToken cancellationToken) =>
        await _api.TryGetAsync(_options.CanaryResource, id.Namespace, id.Name, cancellationToken) ?? throw Missing(id, null);

    private InvalidOperationException Missing(CanaryId id, Exception? inner)
    {
        var resource = _options.CanaryResource;
        return new InvalidOperationException(
            $"{resource.Kind} {id.Namespace}/{id.Name} ({resource.ApiVersion}) does not exist: apply the Canary object before the engine runs it; its status is stored there.",
            inner);
    }
}
