namespace Canary.Core.Tests.Engine;

/// <summary>Counts the engine's actions (every write through a port) and crashes once at a chosen one.</summary>
/// <param name="crashAt">The action, counted from 1, that crashes; 0 crashes none.</param>
/// <param name="afterEffect">Whether the crash comes after the action took effect (its result lost) or before it.</param>
internal sealed class CrashInjector(int crashAt, bool afterEffect)
{
    public int Actions { get; private set; }

    public async ValueTask<T> ActAsync<T>(Func<ValueTask<T>> action)
    {
        Actions++;
        var crash = Actions == crashAt;
        if (crash && !afterEffect)
        {
            throw new SimulatedCrashException(Actions);
        }

        var result = await action();
        return crash ? throw new SimulatedCrashException(Actions) : result;
    }

    public async ValueTask ActAsync(Func<ValueTask> action) => await ActAsync(async () =>
    {
        await action();
        return true;
    });
}
