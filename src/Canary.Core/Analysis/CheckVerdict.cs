namespace Canary.Analysis;

/// <summary>How one metric check came out.</summary>
internal enum CheckVerdict
{
    Passed,
    Failed,
    Held,
}
