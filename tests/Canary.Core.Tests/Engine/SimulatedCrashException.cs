namespace Canary.Core.Tests.Engine;

/// <summary>The engine process "died" during an action.</summary>
internal sealed class SimulatedCrashException(int action) : Exception($"simulated crash at action {action}");
