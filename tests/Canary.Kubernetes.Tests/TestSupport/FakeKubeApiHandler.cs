using System.Net;
using System.Text;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>An in-memory HTTP handler that records requests and answers through a test's function.</summary>
internal sealed class FakeKubeApiHandler(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    public FakeKubeApiHandler(Func<RecordedRequest, HttpResponseMessage> respond)
        : this((request, _, _) => Task.FromResult(respond(request)))
    {
    }

    public FakeKubeApiHandler(Func<RecordedRequest, int, Task<HttpResponseMessage>> respond)
        : this((request, index, _) => respond(request, index))
    {
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> requests have arrived; fails after 20 seconds.</summary>
    public Task WaitForRequestsAsync(int count)
    {
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>Answers the n-th request (0-based) with the n-th response; the last one repeats.</summary>
    public static FakeKubeApiHandler Sequence(params Func<HttpResponseMessage>[] responses) =>
        new((_, index, _) => Task.FromResult(responses[Math.Min(index, responses.Length - 1)]()));

    public static HttpResponseMessage Json(HttpStatusCode code, string json) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Json(string json) => Json(HttpStatusCode.OK, json);

    public static HttpResponseMessage Stream(Stream body) =>
        new(HttpStatusCode.OK) { Content = new StreamContent(body) { Headers = { { "Content-Type", "application/json" } } } };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Content?.Headers.ContentType?.ToString(),
            body,
            request.Headers.Authorization?.ToString(),
            request.Headers.UserAgent.ToString());
        int index;
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            index = _requests.Count;
            _requests.Add(recorded);
            ready = _waiters.Where(w => w.Count <= _requests.Count).Select(w => w.Signal).ToList();
            _waiters.RemoveAll(w => w.Count <= _requests.Count);
        }

        ready.ForEach(signal => signal.TrySetResult());

        return await respond(recorded, index, cancellationToken);
    }
}
