namespace Canary.Kubernetes.Client;

/// <summary>The <c>reason</c> of a failed request's <c>Status</c>, or the one its HTTP code implies when the body had none.</summary>
public enum KubernetesErrorReason
{
    /// <summary>No known reason.</summary>
    Unknown,

    /// <summary>400: the request is malformed, for example an undecodable body.</summary>
    BadRequest,

    /// <summary>401: no valid credentials.</summary>
    Unauthorized,

    /// <summary>403: the credentials may not do this.</summary>
    Forbidden,

    /// <summary>404: the object or resource does not exist.</summary>
    NotFound,

    /// <summary>405: the verb is not supported on this resource.</summary>
    MethodNotAllowed,

    /// <summary>406: the requested media type is not offered.</summary>
    NotAcceptable,

    /// <summary>409: an object with this name already exists.</summary>
    AlreadyExists,

    /// <summary>409: the write lost a race (stale <c>resourceVersion</c>) or server-side apply found field conflicts.</summary>
    Conflict,

    /// <summary>410: the requested resource version is gone from history.</summary>
    Gone,

    /// <summary>410: the requested resource version is too old (what watches and <c>continue</c> tokens get).</summary>
    Expired,

    /// <summary>413: the request body is too large.</summary>
    RequestEntityTooLarge,

    /// <summary>415: the content type (for example strategic merge patch on a custom resource) is not accepted.</summary>
    UnsupportedMediaType,

    /// <summary>422: the object is invalid; the causes name the fields.</summary>
    Invalid,

    /// <summary>429: slow down; honour the retry-after delay.</summary>
    TooManyRequests,

    /// <summary>500: the server failed.</summary>
    InternalError,

    /// <summary>503: the server is unavailable for now.</summary>
    ServiceUnavailable,

    /// <summary>504 (or 500 with this reason): the request could not be completed in time.</summary>
    Timeout,

    /// <summary>The server could not finish in time, but the operation may still complete.</summary>
    ServerTimeout,
}
