namespace Canary.Cli.Reports;

/// <summary>What a mark on the gates lane of the timeline stands for.</summary>
internal enum GateMarkKind
{
    /// <summary>A confirm gate held the canary where it was.</summary>
    Waiting,

    /// <summary>A gating webhook failed, which counts as a failed check.</summary>
    WebhookFailed,
}
