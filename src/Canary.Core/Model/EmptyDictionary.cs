using System.Collections.Frozen;

namespace Canary.Model;

/// <summary>The one empty string map that model records default to, so that defaults allocate nothing.</summary>
internal static class EmptyDictionary
{
    public static readonly IReadOnlyDictionary<string, string> Instance = FrozenDictionary<string, string>.Empty;
}
