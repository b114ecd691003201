using System.Text;

namespace Canary.Cli.Tests;

/// <summary>A writer that keeps what is written and lets a test await a line.</summary>
internal sealed class LiveWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _all = new();
    private readonly StringBuilder _line = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToList();
            }
        }
    }

    public override void Write(char value)
    {
        List<TaskCompletionSource<string>> found = [];
        string? line = null;
        lock (_gate)
        {
            _all.Append(value);
            if (value == '\n')
            {
                line = _line.ToString().TrimEnd('\r');
                _line.Clear();
                _lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    found.Add(waiter.Found);
                }
            }
            else
            {
                _line.Append(value);
            }
        }

        foreach (var waiter in found)
        {
            waiter.TrySetResult(line!);
        }
    }

    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            if (_lines.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _all.ToString();
        }
    }
}
