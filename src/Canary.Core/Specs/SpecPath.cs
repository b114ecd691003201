namespace Canary.Specs;

/// <summary>Builds and splits field paths such as <c>spec.analysis.metrics[1].templateRef</c>.</summary>
internal static class SpecPath
{
    /// <summary>Returns the path of a field of a mapping.</summary>
    public static string Field(string parent, string key) => parent.Length == 0 || parent.EndsWith(' ') ? parent + key : $"{parent}.{key}";

    /// <summary>Returns the path of an item of a list.</summary>
    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>Returns the path of the field or list that holds <paramref name="path"/>, or an empty string at the top.</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            var open = path.LastIndexOf('[');
            return open < 0 ? string.Empty : path[..open];
        }

        var dot = path.LastIndexOf('.');
        return dot < 0 ? string.Empty : path[..dot];
    }
}
