namespace Canary.Kubernetes.Routing;

/// <summary>
/// The fields of an object that a router owns and keeps in the state it wants: some keys of <c>spec</c>, some annotations, and the
/// managed-by label. Everything else (other labels, annotations, status, fields added by users or other controllers) is left alone.
/// </summary>
/// <param name="SpecKeys">The keys of <c>spec</c> the router owns; a key it wants absent is removed.</param>
/// <param name="IsOwnedAnnotation">Whether an annotation key is the router's; an owned annotation it wants absent is removed.</param>
internal sealed record OwnedFields(IReadOnlyList<string> SpecKeys, Func<string, bool> IsOwnedAnnotation)
{
    /// <summary>Returns ownership of the given spec keys and of no annotation.</summary>
    public static OwnedFields Spec(params string[] keys) => new(keys, static _ => false);
}
