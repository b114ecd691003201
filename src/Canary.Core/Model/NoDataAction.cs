namespace Canary.Model;

/// <summary>What no data means for a metric check.</summary>
public enum NoDataAction
{
    /// <summary>No data is a failed check.</summary>
    Fail,

    /// <summary>No data holds the canary at its weight, without a failed check, for a bounded number of intervals.</summary>
    Hold,
}
