using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Canary.Specs;

/// <summary>
/// Passes a parser's events through, failing once collections nest deeper than a limit:
/// YamlDotNet builds its node tree recursively, so unbounded nesting would overflow the stack, which no handler can catch.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                throw new YamlException(inner.Current.Start, inner.Current.End, $"Nesting is deeper than {maxDepth} levels.");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}
