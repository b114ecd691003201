using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Canary.Events;

/// <summary>
/// The live stream of the engine's events, for hosts that show or forward them. Each reader gets every event published
/// after it started reading; a reader that falls more than <see cref="Capacity"/> events behind loses the oldest ones
/// rather than slowing the engine down.
/// </summary>
public sealed class CanaryEventFeed
{
    /// <summary>How many unread events a reader may hold before the oldest are dropped.</summary>
    public const int Capacity = 10_000;

    private ImmutableArray<Channel<CanaryEvent>> _readers = [];

    /// <summary>Reads events as they are published, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">A token that ends the stream.</param>
    /// <returns>The events.</returns>
    public async IAsyncEnumerable<CanaryEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<CanaryEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        ImmutableInterlocked.Update(ref _readers, static (readers, added) => readers.Add(added), channel);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var canaryEvent))
                {
                    yield return canaryEvent;
                }
            }
        }
        finally
        {
            ImmutableInterlocked.Update(ref _readers, static (readers, removed) => readers.Remove(removed), channel);
        }
    }

    /// <summary>Gets how many readers are reading; tests wait on it before publishing.</summary>
    internal int ReaderCount => _readers.Length;

    internal void Publish(CanaryEvent canaryEvent)
    {
        foreach (var reader in _readers)
        {
            reader.Writer.TryWrite(canaryEvent);
        }
    }
}
