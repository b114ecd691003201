using Microsoft.AspNetCore.Http;

namespace Canary.Testing.Kubernetes;

/// <summary>The fault rules, the request log and the open watch connections of one server.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(FakeApiRequest Request, HttpContext Context)> _watches = [];

    public FaultRule Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    public FaultRule? Match(FakeApiRequest request)
    {
        lock (_gate)
        {
            _rules.RemoveAll(r => r.Remaining == 0);
            return _rules.FirstOrDefault(r => r.TryTake(request));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                rule.Release();
            }

            _rules.Clear();
        }
    }

    public void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
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

    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public IDisposable TrackWatch(FakeApiRequest request, HttpContext context)
    {
        var entry = (request, context);
        lock (_gate)
        {
            _watches.Add(entry);
        }

        return new Untrack(this, entry);
    }

    public int ActiveWatches
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    public int DropWatches(Func<FakeApiRequest, bool> predicate)
    {
        List<(FakeApiRequest Request, HttpContext Context)> dropped;
        lock (_gate)
        {
            dropped = _watches.Where(w => predicate(w.Request)).ToList();
            _watches.RemoveAll(dropped.Contains);
        }

        foreach (var (_, context) in dropped)
        {
            context.Abort();
        }

        return dropped.Count;
    }

    private sealed class Untrack(FaultInjector owner, (FakeApiRequest Request, HttpContext Context) entry) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._watches.Remove(entry);
            }
        }
    }
}
