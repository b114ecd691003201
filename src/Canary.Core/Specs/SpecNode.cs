using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Specs;

/// <summary>
/// A YAML mapping being read, with its field path: each getter converts one field, and on a wrong type it
/// records an error that names the field and its line, then returns <see langword="null"/> so the caller keeps its default.
/// </summary>
internal sealed class SpecNode
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, YamlNode> _fields = new(StringComparer.Ordinal);

    private SpecNode(YamlMappingNode node, string path, SpecDiagnostics diagnostics)
    {
        _node = node;
        Path = path;
        Diagnostics = diagnostics;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                _fields.TryAdd(name, value);
            }
        }

        diagnostics.Locate(path, Line);
    }

    /// <summary>Gets the path of this mapping, for example <c>spec.analysis</c>.</summary>
    public string Path { get; }

    /// <summary>Gets where errors and field lines are recorded.</summary>
    public SpecDiagnostics Diagnostics { get; }

    /// <summary>Gets the mapping itself.</summary>
    public YamlMappingNode Root => _node;

    /// <summary>Gets the 1-based line the mapping starts on.</summary>
    public int Line => (int)_node.Start.Line;

    /// <summary>Gets the keys of the mapping's fields.</summary>
    public IEnumerable<string> Keys => _fields.Keys;

    /// <summary>Wraps a node that must be a mapping; anything else is reported.</summary>
    public static SpecNode? From(YamlNode node, string path, SpecDiagnostics diagnostics)
    {
        if (node is YamlMappingNode mapping)
        {
            return new SpecNode(mapping, path, diagnostics);
        }

        if (!IsNull(node))
        {
            diagnostics.Report(path, "must be a mapping", (int)node.Start.Line);
        }

        return null;
    }

    /// <summary>Gets a value indicating whether the field is present with a non-null value.</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>Records an error at a field of this mapping, at the field's line or, when it is missing, the mapping's.</summary>
    public void Report(string key, string message) =>
        Diagnostics.Report(FieldPath(key), message, _fields.TryGetValue(key, out var node) ? (int)node.Start.Line : Line);

    /// <summary>Reads a nested mapping.</summary>
    public SpecNode? GetMapping(string key) => Find(key) is { } node ? From(node, FieldPath(key), Diagnostics) : null;

    /// <summary>Reads a string; any scalar is taken as its text.</summary>
    public string? GetString(string key) => Find(key) is { } node ? ToString(node, FieldPath(key)) : null;

    /// <summary>Reads a 32-bit integer.</summary>
    public int? GetInt(string key) => Find(key) is { } node ? ToInt(node, FieldPath(key)) : null;

    /// <summary>Reads a 64-bit integer.</summary>
    public long? GetLong(string key) => Find(key) is { } node
        ? ReadScalar(node, FieldPath(key), "an integer", (string text, out long value) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        : null;

    /// <summary>Reads a finite number.</summary>
    public double? GetNumber(string key) => Find(key) is { } node
        ? ReadScalar(node, FieldPath(key), "a number", (string text, out double value) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        : null;

    /// <summary>Reads a boolean (<c>true</c> or <c>false</c>).</summary>
    public bool? GetBool(string key) => Find(key) is { } node ? ReadScalar<bool>(node, FieldPath(key), "a boolean", bool.TryParse) : null;

    /// <summary>Reads a string that must be there and not be empty; a missing one is reported, unless it is present with a wrong type, which already was.</summary>
    public string? GetRequiredString(string key)
    {
        var value = GetString(key);
        if (string.IsNullOrEmpty(value) && (value is not null || !Has(key)))
        {
            Report(key, "is required");
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Reads an integer or a string, as Kubernetes' <c>IntOrString</c>, as its text.</summary>
    public string? GetIntOrString(string key) => Find(key) is { } node ? ToString(node, FieldPath(key), "an integer or a string") : null;

    /// <summary>Reads a Go duration such as <c>30s</c> or <c>1h30m</c>.</summary>
    public TimeSpan? GetDuration(string key)
    {
        if (GetString(key) is not { } text)
        {
            return null;
        }

        if (GoDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        Report(key, $"\"{text}\" is not a duration (use Go form such as 30s, 1m, 1h30m)");
        return null;
    }

    /// <summary>Reads an absolute or relative URL; whether it must be absolute is the validator's concern.</summary>
    public Uri? GetUri(string key)
    {
        if (GetString(key) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out var uri))
        {
            return uri;
        }

        Report(key, $"\"{text}\" is not a URL");
        return null;
    }

    /// <summary>Reads one of a fixed set of spellings.</summary>
    public T? GetEnum<T>(string key, IReadOnlyDictionary<string, T> spellings, string what)
        where T : struct
    {
        if (GetString(key) is not { } text)
        {
            return null;
        }

        if (spellings.TryGetValue(text, out var value))
        {
            return value;
        }

        Report(key, $"\"{text}\" is not a known {what} (known: {string.Join(", ", spellings.Keys)})");
        return null;
    }

    /// <summary>Reads a list of mappings; items of the wrong type are reported and left out.</summary>
    public IReadOnlyList<SpecNode> GetMappingList(string key) => ReadList(key, (node, path) => From(node, path, Diagnostics));

    /// <summary>Reads a list of strings.</summary>
    public IReadOnlyList<string> GetStringList(string key) => ReadList(key, ToString);

    /// <summary>Reads a list of 32-bit integers.</summary>
    public IReadOnlyList<int> GetIntList(string key)
    {
        var items = new List<int>();
        ForEachItem(key, (node, path) =>
        {
            if (ToInt(node, path) is { } item)
            {
                items.Add(item);
            }
        });
        return items;
    }

    /// <summary>Reads a list of finite numbers.</summary>
    public IReadOnlyList<double> GetNumberList(string key)
    {
        var items = new List<double>();
        ForEachItem(key, (node, path) =>
        {
            if (ReadScalar(node, path, "a number", (string text, out double value) =>
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)) is { } item)
            {
                items.Add(item);
            }
        });
        return items;
    }

    /// <summary>Reads a mapping of strings to strings, such as labels or webhook metadata.</summary>
    public IReadOnlyDictionary<string, string>? GetStringMap(string key) => ReadMap(key, ToString);

    /// <summary>Reads a mapping whose values are strings or lists of strings (as HTTP headers); a list is joined with commas.</summary>
    public IReadOnlyDictionary<string, string>? GetHeaderMap(string key) =>
        ReadMap(key, (node, path) => node is YamlSequenceNode ? string.Join(", ", ReadItems(node, path, ToString)) : ToString(node, path));

    /// <summary>Reads the fields of this mapping whose values are mappings, such as <c>headers: {NAME: {exact: V}}</c>.</summary>
    public IEnumerable<(string Key, SpecNode Value)> GetMappingFields()
    {
        foreach (var key in _fields.Keys)
        {
            if (GetMapping(key) is { } value)
            {
                yield return (key, value);
            }
        }
    }

    private Dictionary<string, string>? ReadMap(string key, Func<YamlNode, string, string?> read)
    {
        if (GetMapping(key) is not { } map)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in map.Keys)
        {
            if (map.Find(field) is { } node && read(node, SpecPath.Field(map.Path, field)) is { } value)
            {
                values[field] = value;
            }
        }

        return values;
    }

    private List<T> ReadList<T>(string key, Func<YamlNode, string, T?> read)
        where T : class =>
        Find(key) is { } node ? ReadItems(node, FieldPath(key), read) : [];

    private List<T> ReadItems<T>(YamlNode node, string path, Func<YamlNode, string, T?> read)
        where T : class
    {
        var items = new List<T>();
        ForEachItem(node, path, (item, itemPath) =>
        {
            if (read(item, itemPath) is { } value)
            {
                items.Add(value);
            }
        });
        return items;
    }

    private void ForEachItem(string key, Action<YamlNode, string> visit)
    {
        if (Find(key) is { } node)
        {
            ForEachItem(node, FieldPath(key), visit);
        }
    }

    private void ForEachItem(YamlNode node, string path, Action<YamlNode, string> visit)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Diagnostics.Report(path, "must be a list", (int)node.Start.Line);
            return;
        }

        Diagnostics.Locate(path, (int)node.Start.Line);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            visit(sequence.Children[i], SpecPath.Item(path, i));
        }
    }

    private string FieldPath(string key) => SpecPath.Field(Path, key);

    private int? ToInt(YamlNode node, string path) => ReadScalar(node, path, "an integer", (string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

    private string? ToString(YamlNode node, string path) => ToString(node, path, "a string");

    private string? ToString(YamlNode node, string path, string what)
    {
        if (IsNull(node))
        {
            return null;
        }

        Diagnostics.Locate(path, (int)node.Start.Line);
        if (node is YamlScalarNode { Value: { } text })
        {
            return text;
        }

        Diagnostics.Report(path, $"must be {what}", (int)node.Start.Line);
        return null;
    }

    private T? ReadScalar<T>(YamlNode node, string path, string what, ScalarParser<T> parse)
        where T : struct
    {
        if (IsNull(node))
        {
            return null;
        }

        Diagnostics.Locate(path, (int)node.Start.Line);

        // A quoted "5" is a string to Kubernetes, so it is not taken as a number or a boolean here either.
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } text } && parse(text, out var value))
        {
            return value;
        }

        Diagnostics.Report(path, $"must be {what}", (int)node.Start.Line);
        return null;
    }

    private YamlNode? Find(string key) => _fields.TryGetValue(key, out var node) && !IsNull(node) ? node : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private delegate bool ScalarParser<T>(string text, out T value);
}
