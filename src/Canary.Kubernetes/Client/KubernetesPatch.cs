using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>A patch body and the way the server should apply it.</summary>
public sealed record KubernetesPatch
{
    /// <summary>Initializes a new instance of the <see cref="KubernetesPatch"/> class.</summary>
    /// <param name="type">How the body is applied.</param>
    /// <param name="body">A JSON array for <see cref="KubernetesPatchType.JsonPatch"/>, a JSON object otherwise.</param>
    /// <exception cref="ArgumentException">The body's shape does not fit the type.</exception>
    public KubernetesPatch(KubernetesPatchType type, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown patch type.");
        }

        if (type == KubernetesPatchType.JsonPatch && body is not JsonArray)
        {
            throw new ArgumentException("A JSON Patch body must be a JSON array of operations.", nameof(body));
        }

        if (type != KubernetesPatchType.JsonPatch && body is not JsonObject)
        {
            throw new ArgumentException($"A {type} body must be a JSON object.", nameof(body));
        }

        Type = type;
        Body = body;
    }

    /// <summary>Gets how the body is applied.</summary>
    public KubernetesPatchType Type { get; }

    /// <summary>Gets the patch body.</summary>
    public JsonNode Body { get; }

    /// <summary>Gets the HTTP content type for <see cref="Type"/>.</summary>
    public string ContentType => Type switch
    {
        KubernetesPatchType.JsonPatch => "application/json-patch+json",
        KubernetesPatchType.MergePatch => "application/merge-patch+json",
        KubernetesPatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        _ => "application/apply-patch+yaml",
    };

    /// <summary>Creates an RFC 6902 JSON Patch.</summary>
    /// <param name="operations">The operations, for example <c>[{"op":"replace","path":"/spec/replicas","value":3}]</c>.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Json(JsonArray operations) => new(KubernetesPatchType.JsonPatch, operations);

    /// <summary>Creates an RFC 7386 JSON Merge Patch.</summary>
    /// <param name="body">The fields to set; <c>null</c> values delete.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Merge(JsonObject body) => new(KubernetesPatchType.MergePatch, body);

    /// <summary>Creates a strategic merge patch (built-in types only).</summary>
    /// <param name="body">The fields to set.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch StrategicMerge(JsonObject body) => new(KubernetesPatchType.StrategicMergePatch, body);

    /// <summary>Creates a server-side apply patch: the full intent of one field manager, with <c>apiVersion</c> and <c>kind</c>.</summary>
    /// <param name="body">The applied configuration.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Apply(JsonObject body) => new(KubernetesPatchType.Apply, body);
}
