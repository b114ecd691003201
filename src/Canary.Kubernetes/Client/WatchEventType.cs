namespace Canary.Kubernetes.Client;

/// <summary>The <c>type</c> of a watch event.</summary>
public enum WatchEventType
{
    /// <summary>An object was created, or is reported as existing when a watch starts without a resource version.</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object was deleted; the event carries its last state.</summary>
    Deleted,

    /// <summary>Only <c>metadata.resourceVersion</c> advanced; nothing changed.</summary>
    Bookmark,

    /// <summary>The watch failed; the object is a <c>Status</c>, for example 410 Expired.</summary>
    Error,
}
