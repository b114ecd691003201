using System.Globalization;
using System.Text;

namespace Canary.Kubernetes.Client;

/// <summary>Appends escaped query parameters to a path, skipping unset ones.</summary>
internal sealed class QueryBuilder(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _first = true;

    public QueryBuilder Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _text.Append(_first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _first = false;
        return this;
    }

    public QueryBuilder Add(string name, int? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryBuilder Add(string name, bool value) => value ? Add(name, "true") : this;

    public override string ToString() => _text.ToString();
}
