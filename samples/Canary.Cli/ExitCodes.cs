namespace Canary.Cli;

/// <summary>The exit codes of the <c>canary</c> command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked; a rollout ended Succeeded.</summary>
    public const int Success = 0;

    /// <summary>A rollout ended Failed (rolled back) or did not finish.</summary>
    public const int RolloutFailed = 1;

    /// <summary>The input was invalid: a spec, an option or a file.</summary>
    public const int InvalidInput = 2;
}
