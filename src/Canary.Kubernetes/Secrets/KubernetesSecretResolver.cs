using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Kubernetes.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Secrets;

/// <summary>
/// Reads the Secrets that metric templates name with <c>provider.secretRef</c> from the cluster: a GET of the one Secret in the
/// template's namespace, its <c>data</c> decoded from base64 as UTF-8 text. Values are never logged and never written into a
/// message; an answer is kept for <see cref="CacheDuration"/>, so that the checks of every analysis step do not each cost a request.
/// </summary>
/// <remarks>
/// A GET of a named Secret needs only the <c>get</c> permission on <c>secrets</c>, where an informer would need <c>list</c> and
/// <c>watch</c> and would hold every Secret of the namespace in memory. A Secret that does not exist is not cached, so that one
/// created after the error is read at the next check.
/// </remarks>
public sealed class KubernetesSecretResolver : IMetricSecretResolver
{
    /// <summary>The default time an answer is kept: 30 seconds.</summary>
    public static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromSeconds(30);

    private readonly IKubernetesApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Namespace, string Name), Entry> _entries = new();

    /// <summary>Initializes a new instance of the <see cref="KubernetesSecretResolver"/> class.</summary>
    /// <param name="api">The API the Secrets are read from.</param>
    /// <param name="cacheDuration">How long an answer is kept, <see cref="TimeSpan.Zero"/> for not at all, or <see langword="null"/> for <see cref="DefaultCacheDuration"/>.</param>
    /// <param name="timeProvider">The clock the cache expires by, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cacheDuration"/> is negative.</exception>
    public KubernetesSecretResolver(
        IKubernetesApi api,
        TimeSpan? cacheDuration = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesSecretResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var duration = cacheDuration ?? DefaultCacheDuration;
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero, nameof(cacheDuration));
        _api = api;
        CacheDuration = duration;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<KubernetesSecretResolver>.Instance;
    }

    /// <summary>Gets how long an answer is kept before the Secret is read again.</summary>
    public TimeSpan CacheDuration { get; }

    /// <inheritdoc />
    /// <exception cref="FormatException">A value is not base64, or not UTF-8 text; the message names the Secret and the key, never the value.</exception>
    /// <exception cref="KubernetesException">The API refused, for example 403 Forbidden without the <c>get</c> permission on <c>secrets</c>.</exception>
    public async ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string secretNamespace, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = (secretNamespace, name);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && now < cached.Expires)
        {
            return cached.Values;
        }

        var secret = await _api.TryGetAsync(ResourceType.Secrets, secretNamespace, name, cancellationToken);
        if (secret is null)
        {
            _entries.TryRemove(key, out _);
            SecretLog.NotFound(_logger, secretNamespace, name);
            return null;
        }

        var values = Decode(secret, secretNamespace, name);
        if (CacheDuration > TimeSpan.Zero)
        {
            _entries[key] = new Entry(values, now + CacheDuration);
        }

        SecretLog.Read(_logger, secretNamespace, name, values.Count);
        return values;
    }

    private static Dictionary<string, string> Decode(JsonObject secret, string secretNamespace, string name)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (secret["data"] is not JsonObject data)
        {
            return values;
        }

        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        foreach (var (key, node) in data)
        {
            var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
            var bytes = text is null ? null : new byte[(text.Length * 3 / 4) + 3];
            if (bytes is null || !Convert.TryFromBase64String(text!, bytes, out var length))
            {
                throw new FormatException($"Secret {secretNamespace}/{name}: the value of key \"{key}\" is not valid base64.");
            }

            try
            {
                values[key] = strict.GetString(bytes, 0, length);
            }
            catch (DecoderFallbackException)
            {
                // The decoder's message quotes the offending bytes: it is left out.
                throw new FormatException($"Secret {secretNamespace}/{name}: the value of key \"{key}\" is not UTF-8 text.");
            }
            finally
            {
                Array.Clear(bytes);
            }
        }

        return values;
    }

    private sealed record Entry(IReadOnlyDictionary<string, string> Values, DateTimeOffset Expires);
}
