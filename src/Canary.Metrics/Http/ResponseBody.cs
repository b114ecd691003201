using System.Buffers;

namespace Canary.Metrics.Http;

/// <summary>Reads a metric server's answer whole, up to a size that one analysis value never needs.</summary>
internal static class ResponseBody
{
    /// <summary>The largest answer read: an analysis query answers one number; a far larger body is a query that matched far too much.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Gets <see cref="MaxBytes"/> in mebibytes, for messages.</summary>
    public static int MaxMebibytes => MaxBytes / (1024 * 1024);

    /// <summary>Reads the body, stopping as soon as it is known to be too large.</summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The body, or <see langword="null"/> when it is larger than <see cref="MaxBytes"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await stream.ReadAsync(buffer.GetMemory(16384), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return null;
            }
        }
    }
}
