using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>Reads the common <c>metadata</c> fields of objects held as <see cref="JsonObject"/>.</summary>
public static class KubernetesObject
{
    /// <summary>Returns <c>metadata.name</c>, or <see langword="null"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The name.</returns>
    public static string? GetName(JsonObject obj) => GetMetadataString(obj, "name");

    /// <summary>Returns <c>metadata.namespace</c>, or <see langword="null"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The namespace.</returns>
    public static string? GetNamespace(JsonObject obj) => GetMetadataString(obj, "namespace");

    /// <summary>Returns <c>metadata.resourceVersion</c>, or <see langword="null"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The resource version, an opaque string to compare for equality only.</returns>
    public static string? GetResourceVersion(JsonObject obj) => GetMetadataString(obj, "resourceVersion");

    /// <summary>Returns <c>metadata.uid</c>, or <see langword="null"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The uid.</returns>
    public static string? GetUid(JsonObject obj) => GetMetadataString(obj, "uid");

    /// <summary>Returns the cache key <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    /// <param name="namespaceName">The namespace, or <see langword="null"/>.</param>
    /// <param name="name">The name.</param>
    /// <returns>The key.</returns>
    public static string Key(string? namespaceName, string name) =>
        string.IsNullOrEmpty(namespaceName) ? name : $"{namespaceName}/{name}";

    internal static string? GetMetadataString(JsonObject obj, string field)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["metadata"] is JsonObject metadata && metadata[field] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : null;
    }

    internal static string? GetString(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static int? GetInt(JsonObject obj, string field)
    {
        if (obj[field] is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<int>(out var number))
        {
            return number;
        }

        return value.TryGetValue<long>(out var wide) && wide is >= int.MinValue and <= int.MaxValue ? (int)wide : null;
    }
}
