namespace Canary.Cli.Reports;

/// <summary>How a rollout ended, as the report's banner shows it.</summary>
internal enum RolloutOutcome
{
    /// <summary>The new revision was promoted.</summary>
    Promoted,

    /// <summary>The new revision was rolled back.</summary>
    RolledBack,

    /// <summary>The rollout had not ended when it stopped being watched.</summary>
    Unfinished,
}
