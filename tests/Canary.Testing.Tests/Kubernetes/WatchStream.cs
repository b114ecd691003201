using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>An open watch on the fake server, read line by line with a bounded wait per line.</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(15);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<WatchStream> OpenAsync(HttpClient http, string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new WatchStream(response, new StreamReader(stream));
    }

    /// <summary>The next event; fails the test when none arrives in time or the stream ends.</summary>
    public async Task<JsonObject> NextAsync()
    {
        var line = await ReadLineAsync();
        line.Should().NotBeNull("the watch should deliver another event");
        return JsonNode.Parse(line!)!.AsObject();
    }

    /// <summary>Reads events until a BOOKMARK and returns the ones before it.</summary>
    public async Task<List<JsonObject>> NextUntilBookmarkAsync()
    {
        var events = new List<JsonObject>();
        while (true)
        {
            var next = await NextAsync();
            if (Objects.Str(next, "type") == "BOOKMARK")
            {
                return events;
            }

            events.Add(next);
        }
    }

    /// <summary>Null when the server ended the stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(LineTimeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
