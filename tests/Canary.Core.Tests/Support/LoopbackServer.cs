using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Core.Tests.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 that records every request and answers each path with the status a test set
/// (200 unless told otherwise), or stalls on the paths told to stall until the client gives up.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _stalls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private LoopbackServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LoopbackServer(app, new Uri(address));
        return server;
    }

    public Uri Url(string path) => new(Address, path);

    /// <summary>Answers every later request to <paramref name="path"/> with <paramref name="status"/>.</summary>
    public void SetStatus(string path, int status) => _statuses[path] = status;

    /// <summary>Answers the next requests to <paramref name="path"/> with these statuses, one each, then with its set status.</summary>
    public void Script(string path, params int[] statuses) => _scripts[path] = new ConcurrentQueue<int>(statuses);

    /// <summary>Makes requests to <paramref name="path"/> hang until the client aborts them.</summary>
    public void Stall(string path) => _stalls[path] = true;

    public IEnumerable<RecordedRequest> RequestsTo(string path) => _requests.Where(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = request.Path.Value ?? string.Empty;
        _requests.Enqueue(new RecordedRequest(request.Method, path, request.ContentType, body));
        if (_stalls.ContainsKey(path))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var status = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var next)
            ? next
            : _statuses.GetValueOrDefault(path, 200);
        context.Response.StatusCode = status;
        if (status >= 400)
        {
            await context.Response.WriteAsync($"refused by {path}\nsecond line", context.RequestAborted);
        }
    }
}
