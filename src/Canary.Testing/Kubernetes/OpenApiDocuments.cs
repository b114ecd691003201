using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// The OpenAPI v3 documents of the served types, as far as kubectl reads them: <c>kubectl apply</c> and <c>create</c> validate
/// on the server when the PATCH operation of a type lists the <c>fieldValidation</c> query parameter, and otherwise refuse to
/// run without a client-side schema. Schemas themselves are left out; kubectl falls back to its built-in types.
/// </summary>
internal static class OpenApiDocuments
{
    /// <summary>The discovery document of <c>/openapi/v3</c>: one path per group and version, with a hash of its content.</summary>
    public static JsonObject Root(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in catalog.All.Select(r => (r.Group, r.Version)).Distinct().OrderBy(gv => gv.Group, StringComparer.Ordinal).ThenBy(gv => gv.Version, StringComparer.Ordinal))
        {
            var path = Path(group, version);
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonTools.Serialize(GroupVersion(catalog, group, version)))))[..16];
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of one group and version: a PATCH operation per type that takes <c>fieldValidation</c>.</summary>
    public static JsonObject GroupVersion(ResourceCatalog catalog, string group, string version)
    {
        var paths = new JsonObject();
        foreach (var resource in catalog.All.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            var scope = resource.Namespaced ? "/namespaces/{namespace}" : string.Empty;
            paths[$"/{Path(group, version)}{scope}/{resource.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{resource.Kind}",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = resource.Kind },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    /// <summary>Reads <c>api/v1</c> or <c>apis/GROUP/VERSION</c> back into a group and version.</summary>
    public static (string Group, string Version)? Parse(IReadOnlyList<string> segments) => segments switch
    {
        ["api", var version] => (string.Empty, version),
        ["apis", var group, var version] => (group, version),
        _ => null,
    };

    private static string Path(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
}
