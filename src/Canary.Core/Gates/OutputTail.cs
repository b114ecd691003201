namespace Canary.Gates;

/// <summary>Keeps the last lines a process wrote, cut to a bounded length, for a failure message.</summary>
internal sealed class OutputTail(int maxLines, int maxLineLength)
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || maxLines <= 0)
        {
            return;
        }

        line = line.TrimEnd();
        if (line.Length > maxLineLength)
        {
            line = line[..Math.Max(0, maxLineLength)] + "…";
        }

        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return string.Join(" | ", _lines);
        }
    }
}
