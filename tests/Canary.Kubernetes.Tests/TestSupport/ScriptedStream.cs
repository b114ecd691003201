using System.Text;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// A response body that yields the given text, then either ends, fails like a dropped connection, or stays open until cancelled.
/// </summary>
internal sealed class ScriptedStream : Stream
{
    private readonly byte[] _data;
    private readonly Ending _ending;
    private int _position;

    public ScriptedStream(string text, Ending ending)
    {
        _data = Encoding.UTF8.GetBytes(text);
        _ending = ending;
    }

    public enum Ending
    {
        Close,
        Drop,
        Hang,
    }

    public static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _data.Length)
        {
            var count = Math.Min(buffer.Length, _data.Length - _position);
            _data.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        switch (_ending)
        {
            case Ending.Drop:
                throw new IOException("The connection was reset (simulated).");
            case Ending.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            default:
                return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
