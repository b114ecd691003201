namespace Canary.Cli.Tests;

/// <summary>
/// A long-running verb (<c>run</c>, <c>sandbox</c>) started in-process: its output can be awaited line by line, and
/// <see cref="StopAsync"/> cancels it as Ctrl+C does and returns its exit code.
/// </summary>
internal sealed class LiveCliRun : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;

    private LiveCliRun(string[] args)
    {
        _run = Task.Run(() => CanaryCli.RunAsync(args, Output, Error, _stop.Token));
    }

    public LiveWriter Output { get; } = new();

    public LiveWriter Error { get; } = new();

    /// <summary>Gets the verb's task; it completes when the verb returns.</summary>
    public Task<int> Run => _run;

    public static LiveCliRun Start(params string[] args) => new(args);

    /// <summary>Waits until the verb prints a line that matches; fails if the verb ends or <see cref="Timeout"/> passes first.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, string what)
    {
        var line = Output.WaitForLineAsync(match);
        var first = await Task.WhenAny(line, _run, Task.Delay(Timeout));
        if (first == line)
        {
            return await line;
        }

        var ended = _run.IsCompleted ? $"the verb ended with exit code {_run.Result}" : $"{Timeout.TotalSeconds} s passed";
        Assert.Fail($"Waited for {what}, but {ended}.\nOutput:\n{Output}\nError:\n{Error}");
        return string.Empty;
    }

    /// <summary>Cancels the verb as Ctrl+C does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(Timeout);
        }

        _stop.Dispose();
    }
}
