namespace Canary.Model;

/// <summary>How a <see cref="StringMatch"/> compares its value.</summary>
public enum StringMatchKind
{
    /// <summary>The whole value is equal.</summary>
    Exact,

    /// <summary>The value starts with the given text.</summary>
    Prefix,

    /// <summary>The value ends with the given text.</summary>
    Suffix,

    /// <summary>The value matches a regular expression.</summary>
    Regex,
}
