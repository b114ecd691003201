namespace Canary.Model;

/// <summary>The severity of an event; an alert sends its own severity and those above it.</summary>
public enum AlertSeverity
{
    /// <summary>Progress: every event.</summary>
    Info,

    /// <summary>Halts and waits.</summary>
    Warn,

    /// <summary>Rollbacks and failures.</summary>
    Error,
}
