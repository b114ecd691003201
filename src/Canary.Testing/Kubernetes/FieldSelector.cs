using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>A parsed field selector (<c>metadata.name=web,metadata.namespace!=kube-system</c>); only the fields the type supports.</summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The name this selector pins with <c>metadata.name=</c>, if any.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, ApiResource resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            string field;
            string value;
            bool equal;
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var doubleEqual = part.IndexOf("==", StringComparison.Ordinal);
            var single = part.IndexOf('=', StringComparison.Ordinal);
            if (notEqual >= 0)
            {
                (field, value, equal) = (part[..notEqual], part[(notEqual + 2)..], false);
            }
            else if (doubleEqual >= 0)
            {
                (field, value, equal) = (part[..doubleEqual], part[(doubleEqual + 2)..], true);
            }
            else if (single >= 0)
            {
                (field, value, equal) = (part[..single], part[(single + 1)..], true);
            }
            else
            {
                throw ApiErrors.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }

            field = field.Trim();
            if (field != "metadata.name" && field != "metadata.namespace" && !resource.SelectableFields.Contains(field))
            {
                throw ApiErrors.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, equal, value.Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = Lookup(obj, field) ?? string.Empty;
            if (string.Equals(actual, value, StringComparison.Ordinal) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static string? Lookup(JsonObject obj, string field)
    {
        JsonNode? node = obj;
        foreach (var segment in field.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonObject source when field == "source" => JsonTools.GetString(source, "component"),
            _ => node.ToJsonString(),
        };
    }
}
