using System.Net;

namespace Canary.Kubernetes.Client;

/// <summary>
/// A request to the Kubernetes API got a non-success answer. <see cref="Status"/> holds the server's <c>Status</c> when the body was
/// one; <see cref="Reason"/> is known either way.
/// </summary>
/// <remarks>Messages never contain bearer tokens, passwords or key material.</remarks>
public sealed class KubernetesException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KubernetesException"/> class.</summary>
    public KubernetesException()
        : base("The Kubernetes API request failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubernetesException"/> class.</summary>
    /// <param name="message">The message.</param>
    public KubernetesException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubernetesException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public KubernetesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubernetesException"/> class for a failed request.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="status">The server's <c>Status</c>, or <see langword="null"/> when the body was not one.</param>
    /// <param name="retryAfter">How long the server asked to wait, if it did.</param>
    public KubernetesException(string message, HttpStatusCode statusCode, KubernetesStatus? status, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        Status = status;
        ReasonText = status?.Reason;
        Reason = ParseReason(status?.Reason, statusCode);
        RetryAfter = retryAfter ?? (status?.Details?.RetryAfterSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : null);
    }

    /// <summary>Gets the HTTP status code; for a watch ERROR event, the code in its <c>Status</c>.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the reason, from the <c>Status</c> when it has one, else from <see cref="StatusCode"/>.</summary>
    public KubernetesErrorReason Reason { get; }

    /// <summary>Gets the <c>reason</c> string exactly as the server sent it, which may be one this enum does not know.</summary>
    public string? ReasonText { get; }

    /// <summary>Gets the server's <c>Status</c>, or <see langword="null"/> when the body was not one (for example a proxy's HTML page).</summary>
    public KubernetesStatus? Status { get; }

    /// <summary>Gets how long the server asked the client to wait before retrying, if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets the causes listed in the <c>Status</c> details, often one per invalid field.</summary>
    public IReadOnlyList<KubernetesStatusCause> Causes => Status?.Details?.Causes ?? [];

    /// <summary>Gets a value indicating whether the object does not exist (404).</summary>
    public bool IsNotFound => Reason == KubernetesErrorReason.NotFound;

    /// <summary>Gets a value indicating whether a create found the name taken (409 AlreadyExists).</summary>
    public bool IsAlreadyExists => Reason == KubernetesErrorReason.AlreadyExists;

    /// <summary>Gets a value indicating whether a write lost an optimistic-concurrency race or met apply conflicts (409 Conflict).</summary>
    public bool IsConflict => Reason == KubernetesErrorReason.Conflict;

    /// <summary>Gets a value indicating whether the object was rejected as invalid (422).</summary>
    public bool IsInvalid => Reason == KubernetesErrorReason.Invalid;

    /// <summary>Gets a value indicating whether the credentials may not do this (403).</summary>
    public bool IsForbidden => Reason == KubernetesErrorReason.Forbidden;

    /// <summary>Gets a value indicating whether the credentials were rejected (401).</summary>
    public bool IsUnauthorized => Reason == KubernetesErrorReason.Unauthorized;

    /// <summary>Gets a value indicating whether the server asked to slow down (429).</summary>
    public bool IsTooManyRequests => Reason == KubernetesErrorReason.TooManyRequests;

    /// <summary>Gets a value indicating whether a resource version or continue token is too old (410 Gone or Expired): list again.</summary>
    public bool IsGone => Reason is KubernetesErrorReason.Gone or KubernetesErrorReason.Expired || StatusCode == HttpStatusCode.Gone;

    /// <summary>Creates the exception for a <c>Status</c> received outside an HTTP response, such as a watch ERROR event.</summary>
    /// <param name="status">The status.</param>
    /// <param name="context">What was being done, for example <c>watch apps/v1/deployments</c>.</param>
    /// <returns>The exception.</returns>
    public static KubernetesException FromStatus(KubernetesStatus status, string context)
    {
        ArgumentNullException.ThrowIfNull(status);
        var code = (HttpStatusCode)(status.Code ?? 500);
        var reason = status.Reason ?? "(no reason)";
        return new KubernetesException($"{context}: {status.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {reason}: {status.Message}", code, status);
    }

    private static KubernetesErrorReason ParseReason(string? reason, HttpStatusCode statusCode)
    {
        if (!string.IsNullOrEmpty(reason) && Enum.TryParse<KubernetesErrorReason>(reason, ignoreCase: false, out var parsed) &&
            Enum.IsDefined(parsed) && !int.TryParse(reason, out _))
        {
            return parsed;
        }

        return (int)statusCode switch
        {
            400 => KubernetesErrorReason.BadRequest,
            401 => KubernetesErrorReason.Unauthorized,
            403 => KubernetesErrorReason.Forbidden,
            404 => KubernetesErrorReason.NotFound,
            405 => KubernetesErrorReason.MethodNotAllowed,
            406 => KubernetesErrorReason.NotAcceptable,
            409 => KubernetesErrorReason.Conflict,
            410 => KubernetesErrorReason.Gone,
            413 => KubernetesErrorReason.RequestEntityTooLarge,
            415 => KubernetesErrorReason.UnsupportedMediaType,
            422 => KubernetesErrorReason.Invalid,
            429 => KubernetesErrorReason.TooManyRequests,
            500 => KubernetesErrorReason.InternalError,
            503 => KubernetesErrorReason.ServiceUnavailable,
            504 => KubernetesErrorReason.Timeout,
            _ => KubernetesErrorReason.Unknown,
        };
    }
}
