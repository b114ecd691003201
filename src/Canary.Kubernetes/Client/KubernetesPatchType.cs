namespace Canary.Kubernetes.Client;

/// <summary>The kinds of PATCH the API server accepts, each with its own content type.</summary>
public enum KubernetesPatchType
{
    /// <summary>RFC 6902 JSON Patch (<c>application/json-patch+json</c>): a list of operations; <c>test</c> ops act as preconditions.</summary>
    JsonPatch,

    /// <summary>RFC 7386 JSON Merge Patch (<c>application/merge-patch+json</c>): objects merge, lists are replaced, <c>null</c> deletes.</summary>
    MergePatch,

    /// <summary>Strategic merge patch (<c>application/strategic-merge-patch+json</c>): built-in types only, not custom resources.</summary>
    StrategicMergePatch,

    /// <summary>Server-side apply (<c>application/apply-patch+yaml</c>, JSON accepted): needs a field manager.</summary>
    Apply,
}
