using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Canary.Kubernetes.Client;

/// <summary>
/// A small REST client for the Kubernetes API: the generic verbs of <see cref="IKubernetesApi"/> over one
/// <see cref="SocketsHttpHandler"/>, with the configuration's TLS and credentials, retries of transient failures through a Polly
/// pipeline, and typed <see cref="KubernetesException"/> errors.
/// </summary>
public sealed class KubernetesApiClient : IKubernetesApi, IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int MaxSnippetChars = 300;
    private const int MaxFieldManagerLength = 128;
    private static readonly ResiliencePropertyKey<string> RequestKey = new("Canary.Kubernetes.Request");
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly KubernetesClientConfiguration _configuration;
    private readonly HttpMessageInvoker _invoker;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _requestTimeout;
    private readonly string _baseUrl;
    private readonly string _userAgent;
    private readonly SecretRedactor _redactor = new();
    private X509Certificate2? _providerCertificate;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="KubernetesApiClient"/> class with its own HTTP handler.</summary>
    /// <param name="configuration">Where the server is and how to authenticate.</param>
    /// <param name="options">Retries, timeouts and logging, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options or the configuration are invalid; the message names each field.</exception>
    public KubernetesApiClient(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null)
        : this(
            configuration,
            options,
            client => KubernetesHttpHandlerFactory.Create(configuration, () => Volatile.Read(ref client._providerCertificate)),
            disposeHandler: true)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="KubernetesApiClient"/> class over a given handler, for tests or to add delegating
    /// handlers. The configuration's TLS settings are then the handler's business; credentials are still added by the client.
    /// </summary>
    /// <param name="configuration">Where the server is and how to authenticate.</param>
    /// <param name="options">Retries, timeouts and logging, or <see langword="null"/> for the defaults.</param>
    /// <param name="handler">The handler that sends requests.</param>
    /// <param name="disposeHandler">Whether disposing the client disposes the handler.</param>
    /// <exception cref="ArgumentException">The options or the configuration are invalid; the message names each field.</exception>
    public KubernetesApiClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options,
        HttpMessageHandler handler,
        bool disposeHandler = true)
        : this(configuration, options, _ => handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler)
    {
    }

    private KubernetesApiClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options,
        Func<KubernetesApiClient, HttpMessageHandler> handlerFactory,
        bool disposeHandler)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new KubernetesClientOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The KubernetesClientOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        if (configuration.Host.Scheme != Uri.UriSchemeHttps && configuration.Host.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"Host: \"{configuration.Host}\" must be an http or https URL.", nameof(configuration));
        }

        _configuration = configuration;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _logger = options.LoggerFactory?.CreateLogger("Canary.Kubernetes.Client") ?? NullLogger.Instance;
        _requestTimeout = options.RequestTimeout ?? configuration.Timeout;
        if (_requestTimeout <= TimeSpan.FromMilliseconds(10) || _requestTimeout >= TimeSpan.FromDays(1))
        {
            throw new ArgumentException("Timeout: must be more than 10 milliseconds and less than 1 day.", nameof(configuration));
        }

        _userAgent = options.UserAgent;
        _baseUrl = configuration.Host.GetLeftPart(UriPartial.Authority) + configuration.Host.AbsolutePath.TrimEnd('/');
        _redactor.Add(configuration.AccessToken);
        _redactor.Add(configuration.Password);
        if (configuration.Username is not null && configuration.Password is not null)
        {
            _redactor.Add(BasicCredentials(configuration.Username, configuration.Password));
        }

        _pipeline = BuildPipeline(options);
        _invoker = new HttpMessageInvoker(handlerFactory(this), disposeHandler);
    }

    /// <summary>Gets the configuration the client was built from.</summary>
    public KubernetesClientConfiguration Configuration => _configuration;

    /// <inheritdoc />
    public Task<JsonObject> GetAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        string? subresource = null,
        CancellationToken cancellationToken = default)
    {
        var path = ItemPath(resource, namespaceName, name, subresource);
        return SendForObjectAsync(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JsonObject> ListAsync(
        ResourceType resource,
        string? namespaceName,
        ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var path = CollectionPath(resource, namespaceName);
        if (options?.Limit is <= 0)
        {
            throw new ArgumentException("Limit: must be positive.", nameof(options));
        }

        var query = new QueryBuilder(path)
            .Add("labelSelector", EmptyToNull(options?.LabelSelector))
            .Add("fieldSelector", EmptyToNull(options?.FieldSelector))
            .Add("limit", options?.Limit)
            .Add("continue", EmptyToNull(options?.Continue))
            .Add("resourceVersion", options?.ResourceVersion)
            .Add("resourceVersionMatch", EmptyToNull(options?.ResourceVersionMatch));
        return SendForObjectAsync(HttpMethod.Get, query.ToString(), null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JsonObject> CreateAsync(
        ResourceType resource,
        string? namespaceName,
        JsonObject body,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        var bodyNamespace = KubernetesObject.GetNamespace(body);
        if (resource.Namespaced)
        {
            namespaceName ??= bodyNamespace;
            if (bodyNamespace is not null && !string.Equals(bodyNamespace, namespaceName, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"metadata.namespace: \"{bodyNamespace}\" does not match the namespace \"{namespaceName}\" of the request.",
                    nameof(body));
            }
        }

        if (KubernetesObject.GetResourceVersion(body) is { Length: > 0 })
        {
            throw new ArgumentException("metadata.resourceVersion: must not be set on an object to be created.", nameof(body));
        }

        var path = CollectionPath(resource, RequireNamespace(resource, namespaceName));
        var content = JsonContent(WithTypeInfo(resource, body), "application/json");
        return SendForObjectAsync(HttpMethod.Post, path, content, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JsonObject> ReplaceAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        JsonObject body,
        string? subresource = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var path = ItemPath(resource, namespaceName, name, subresource);
        if (KubernetesObject.GetResourceVersion(body) is not { Length: > 0 })
        {
            throw new ArgumentException(
                "metadata.resourceVersion: required for a replace, so that a concurrent change gives 409 Conflict instead of being " +
                "overwritten; replace only objects read whole, or patch what you own.",
                nameof(body));
        }

        var bodyName = KubernetesObject.GetName(body);
        if (bodyName is not null && !string.Equals(bodyName, name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"metadata.name: \"{bodyName}\" does not match the name \"{name}\" of the request.", nameof(body));
        }

        var content = JsonContent(WithTypeInfo(resource, body), "application/json");
        return SendForObjectAsync(HttpMethod.Put, path, content, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JsonObject> PatchAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        KubernetesPatch patch,
        PatchOptions? options = null,
        string? subresource = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ItemPath(resource, namespaceName, name, subresource);
        var fieldManager = EmptyToNull(options?.FieldManager);
        if (patch.Type == KubernetesPatchType.Apply && fieldManager is null)
        {
            throw new ArgumentException("FieldManager: required for a server-side apply patch.", nameof(options));
        }

        if (options?.Force == true && patch.Type != KubernetesPatchType.Apply)
        {
            throw new ArgumentException("Force: only valid for a server-side apply patch.", nameof(options));
        }

        if (fieldManager is not null && (fieldManager.Length > MaxFieldManagerLength || fieldManager.Any(char.IsControl)))
        {
            throw new ArgumentException($"FieldManager: must be at most {MaxFieldManagerLength} printable characters.", nameof(options));
        }

        var query = new QueryBuilder(path)
            .Add("fieldManager", fieldManager)
            .Add("force", options?.Force == true);
        var content = JsonContent(patch.Body, patch.ContentType);
        return SendForObjectAsync(HttpMethod.Patch, query.ToString(), content, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JsonObject> DeleteAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        DeleteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var path = ItemPath(resource, namespaceName, name, null);
        if (options?.GracePeriodSeconds is < 0)
        {
            throw new ArgumentException("GracePeriodSeconds: must not be negative.", nameof(options));
        }

        var query = new QueryBuilder(path)
            .Add("propagationPolicy", options?.PropagationPolicy?.ToString())
            .Add("gracePeriodSeconds", options?.GracePeriodSeconds);
        return SendForObjectAsync(HttpMethod.Delete, query.ToString(), null, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        ResourceType resource,
        string? namespaceName,
        WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = CollectionPath(resource, namespaceName);
        var timeoutSeconds = options?.Timeout is { } timeout ? (int?)Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)) : null;
        var query = new QueryBuilder(path)
            .Add("watch", true)
            .Add("resourceVersion", EmptyToNull(options?.ResourceVersion))
            .Add("allowWatchBookmarks", options?.AllowWatchBookmarks == true)
            .Add("timeoutSeconds", timeoutSeconds)
            .Add("labelSelector", EmptyToNull(options?.LabelSelector))
            .Add("fieldSelector", EmptyToNull(options?.FieldSelector))
            .ToString();

        using var response = await SendAsync(HttpMethod.Get, query, null, streaming: true, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await CreateExceptionAsync(HttpMethod.Get, query, response, cancellationToken);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (true)
            {
                var line = await reader.ReadLineAsync(cancellationToken);
                if (line is null)
                {
                    yield break;
                }

                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var watchEvent = WatchEventParser.TryParse(line, out var problem);
                if (watchEvent is null)
                {
                    Log.MalformedWatchLine(_logger, resource.ToString(), problem!);
                    options?.OnMalformedLine?.Invoke(problem!);
                    continue;
                }

                yield return watchEvent;
            }
        }
    }

    /// <summary>Closes the connections of the client's own handler.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _invoker.Dispose();
        }
    }

    private static string BasicCredentials(string username, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    private static string? EmptyToNull(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string CollectionPath(ResourceType resource, string? namespaceName)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!resource.Namespaced && namespaceName is not null)
        {
            throw new ArgumentException($"{resource} is cluster-scoped; pass no namespace.", nameof(namespaceName));
        }

        if (namespaceName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(namespaceName);
        }

        return resource.CollectionPath(namespaceName);
    }

    private static string ItemPath(ResourceType resource, string? namespaceName, string name, string? subresource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (subresource is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(subresource);
        }

        CollectionPath(resource, namespaceName);
        return resource.ItemPath(RequireNamespace(resource, namespaceName), name, subresource);
    }

    private static string? RequireNamespace(ResourceType resource, string? namespaceName)
    {
        if (resource.Namespaced && string.IsNullOrWhiteSpace(namespaceName))
        {
            throw new ArgumentException($"{resource} is namespaced; a namespace is required.", nameof(namespaceName));
        }

        return namespaceName;
    }

    private static JsonObject WithTypeInfo(ResourceType resource, JsonObject body)
    {
        if (body["apiVersion"] is not null && body["kind"] is not null)
        {
            return body;
        }

        // Custom resources cannot be decoded without apiVersion and kind; fill them in on a copy, never on the caller's object.
        var copy = (JsonObject)body.DeepClone();
        copy["apiVersion"] ??= resource.ApiVersion;
        copy["kind"] ??= resource.Kind;
        return copy;
    }

    private static Func<HttpContent> JsonContent(JsonNode body, string mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        return () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return content;
        };
    }

    private async Task<JsonObject> SendForObjectAsync(
        HttpMethod method,
        string pathAndQuery,
        Func<HttpContent>? content,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, pathAndQuery, content, streaming: false, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await CreateExceptionAsync(method, pathAndQuery, response, cancellationToken);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text) is JsonObject obj)
            {
                return obj;
            }
        }
        catch (JsonException)
        {
            // Reported below with the status code, without the body.
        }

        throw new KubernetesException(
            $"{method} {pathAndQuery}: the {(int)response.StatusCode} response is not a JSON object " +
            $"({response.Content.Headers.ContentType?.MediaType ?? "no content type"}, {text.Length} characters).",
            response.StatusCode,
            null);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        Func<HttpContent>? content,
        bool streaming,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var request = $"{method} {pathAndQuery}";
        for (var attempt = 0; ; attempt++)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(RequestKey, request);
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    static (ctx, state) => state.Client.SendOnceAsync(state.Method, state.Path, state.Content, state.Streaming, state.CallerToken, ctx.CancellationToken),
                    context,
                    (Client: this, Method: method, Path: pathAndQuery, Content: content, Streaming: streaming, CallerToken: cancellationToken));
            }
            catch (TimeoutRejectedException ex)
            {
                throw new TimeoutException(
                    $"{request} did not complete within {_requestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.", ex);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            // A rotated token or an expired exec credential gets one fresh try; a second 401 is the caller's to see.
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && _configuration.CredentialProvider is { } provider)
            {
                Log.RefreshingCredentials(_logger, request);
                response.Dispose();
                provider.Invalidate();
                continue;
            }

            return response;
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(
        HttpMethod method,
        string pathAndQuery,
        Func<HttpContent>? content,
        bool streaming,
        CancellationToken callerToken,
        CancellationToken attemptToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl + pathAndQuery));
        request.Headers.Accept.Add(AcceptJson);
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        request.Content = content?.Invoke();
        await AuthenticateAsync(request, attemptToken);

        if (!streaming)
        {
            var response = await _invoker.SendAsync(request, attemptToken);
            try
            {
                await response.Content.LoadIntoBufferAsync(attemptToken);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            return response;
        }

        // The per-attempt timeout must bound only the wait for headers: the pipeline's token is pooled and may be cancelled later
        // for another request, so the handler gets a token of its own that the timeout reaches only while headers are awaited.
        using var own = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        using (attemptToken.Register(static source => ((CancellationTokenSource)source!).Cancel(), own))
        {
            return await _invoker.SendAsync(request, own.Token);
        }
    }

    private async ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_configuration.CredentialProvider is { } provider)
        {
            var credentials = await provider.GetCredentialsAsync(cancellationToken);
            if (credentials.ClientCertificate is not null)
            {
                Volatile.Write(ref _providerCertificate, credentials.ClientCertificate);
            }

            if (credentials.Token is not null)
            {
                _redactor.Add(credentials.Token);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Token);
                return;
            }
        }

        if (_configuration.AccessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _configuration.AccessToken);
        }
        else if (_configuration.Username is not null && _configuration.Password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic",
                BasicCredentials(_configuration.Username, _configuration.Password));
        }
    }

    private async Task<KubernetesException> CreateExceptionAsync(
        HttpMethod method,
        string pathAndQuery,
        HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response, cancellationToken);
        var statusCode = response.StatusCode;
        var retryAfter = RetryAfterOf(response, _timeProvider);
        KubernetesStatus? status = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json && KubernetesStatus.IsStatus(json))
            {
                status = KubernetesStatus.FromJson(json);
            }
        }
        catch (JsonException)
        {
            // Not JSON: described below from the raw body.
        }

        var code = ((int)statusCode).ToString(CultureInfo.InvariantCulture);
        string message;
        if (status is not null)
        {
            status = status with { Message = status.Message is null ? null : _redactor.Redact(status.Message) };
            var text = new StringBuilder()
                .Append(method).Append(' ').Append(pathAndQuery).Append(" failed: ")
                .Append(code).Append(' ').Append(status.Reason ?? response.ReasonPhrase ?? "(no reason)");
            if (!string.IsNullOrEmpty(status.Message))
            {
                text.Append(": ").Append(status.Message);
            }

            foreach (var cause in status.Details?.Causes.Take(10) ?? [])
            {
                text.Append("; ").Append(cause.Field ?? cause.Reason ?? "cause").Append(": ").Append(cause.Message);
            }

            message = text.ToString();
        }
        else
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            var snippet = Snippet(body, mediaType);
            message = $"{method} {pathAndQuery} failed: {code} {response.ReasonPhrase}; the response is not a Kubernetes Status " +
                $"({mediaType}, {Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture)} bytes)" +
                (snippet.Length == 0 ? "." : $": {snippet}");
        }

        return new KubernetesException(_redactor.Redact(message), statusCode, status, retryAfter);
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var filled = 0;
            while (filled < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, filled);
        }
    }

    private static string Snippet(string body, string mediaType)
    {
        var text = body;
        if (mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, "<(script|style)[^>]*>.*?</\\1>|<[^>]+>", " ",
                System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase,
                TimeSpan.FromSeconds(1));
        }

        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxSnippetChars ? text : string.Concat(text.AsSpan(0, MaxSnippetChars), "…");
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage? response, TimeProvider timeProvider)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool IsTransientStatus(HttpStatusCode code) =>
        code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(KubernetesClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            var maxDelay = options.RetryMaxDelay;
            var retry = new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException or IOException } => true,
                    { Result: { } response } => IsTransientStatus(response.StatusCode) &&
                        !(RetryAfterOf(response, _timeProvider) > maxDelay),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome.Result, _timeProvider)),
                OnRetry = args =>
                {
                    var outcome = args.Outcome.Exception is { } exception
                        ? $"{exception.GetType().Name}: {_redactor.Redact(exception.Message)}"
                        : $"{(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}";
                    Log.RetryingRequest(
                        _logger,
                        args.Context.Properties.GetValue(RequestKey, "request"),
                        args.RetryDelay,
                        args.AttemptNumber + 1,
                        outcome);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            };
            if (maxDelay > TimeSpan.Zero)
            {
                retry.MaxDelay = maxDelay;
            }

            builder.AddRetry(retry);
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = _requestTimeout });
        return builder.Build();
    }
}
