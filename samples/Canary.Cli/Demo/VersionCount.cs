namespace Canary.Cli.Demo;

/// <summary>How the requests that one version answered went.</summary>
/// <param name="Succeeded">Answers below 500.</param>
/// <param name="Failed">Answers of 500 and above.</param>
public readonly record struct VersionCount(long Succeeded, long Failed)
{
    /// <summary>Gets every answer.</summary>
    public long Total => Succeeded + Failed;
}
