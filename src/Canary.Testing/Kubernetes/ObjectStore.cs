using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// The in-memory object store: one resourceVersion counter for every type, a bounded history of events for
/// watches and consistent continued lists, and the registered watchers. Callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ApiResource Resource, string Key)> _uids = new(StringComparer.Ordinal);
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly int _historyLimit;
    private long _revision;
    private long _compactedThrough;

    public ObjectStore(int historyLimit, long initialRevision)
    {
        _historyLimit = Math.Max(1, historyLimit);
        _revision = initialRevision;
        _compactedThrough = initialRevision;
    }

    /// <summary>The one lock every read and write of the store happens under.</summary>
    public Lock Gate { get; } = new();

    public long Revision => _revision;

    public static string Key(string @namespace, string name) => @namespace + "/" + name;

    public static string FormatRevision(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    public JsonObject? Get(ApiResource resource, string @namespace, string name) =>
        _objects.TryGetValue(resource.StorageKey, out var items) && items.TryGetValue(Key(@namespace, name), out var obj) ? obj : null;

    /// <summary>The objects of a type in key order (namespace, then name), optionally in one namespace.</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> Items(ApiResource resource, string? @namespace)
    {
        if (!_objects.TryGetValue(resource.StorageKey, out var items))
        {
            return [];
        }

        return @namespace is null ? items.ToList() : items.Where(p => p.Key.StartsWith(@namespace + "/", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Every stored object with its type (for garbage collection and namespace deletion).</summary>
    public List<(ApiResource Resource, JsonObject Object)> AllObjects(IReadOnlyList<ApiResource> resources)
    {
        var byKey = resources.GroupBy(r => r.StorageKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var all = new List<(ApiResource, JsonObject)>();
        foreach (var (storageKey, items) in _objects)
        {
            if (byKey.TryGetValue(storageKey, out var resource))
            {
                all.AddRange(items.Values.Select(o => (resource, o)));
            }
        }

        return all;
    }

    public bool UidExists(string uid) => _uids.ContainsKey(uid);

    /// <summary>Stores a created or modified object under a new resourceVersion and tells the watchers.</summary>
    public JsonObject Put(ApiResource resource, JsonObject obj, JsonObject? previous)
    {
        var revision = ++_revision;
        JsonTools.Metadata(obj)["resourceVersion"] = FormatRevision(revision);
        var @namespace = JsonTools.Namespace(obj);
        var name = JsonTools.Name(obj);
        if (!_objects.TryGetValue(resource.StorageKey, out var items))
        {
            items = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[resource.StorageKey] = items;
        }

        var key = Key(@namespace, name);
        items[key] = obj;
        _uids[JsonTools.Uid(obj)] = (resource, key);
        Record(new StoreEvent(revision, previous is null ? StoreEvent.Added : StoreEvent.Modified, resource, @namespace, name, obj, previous));
        return obj;
    }

    /// <summary>Removes an object; the DELETED event carries its last state under the deletion's resourceVersion.</summary>
    public JsonObject Remove(ApiResource resource, JsonObject current)
    {
        var revision = ++_revision;
        var @namespace = JsonTools.Namespace(current);
        var name = JsonTools.Name(current);
        if (_objects.TryGetValue(resource.StorageKey, out var items))
        {
            items.Remove(Key(@namespace, name));
        }

        _uids.Remove(JsonTools.Uid(current));
        var last = JsonTools.CloneObject(current);
        JsonTools.Metadata(last)["resourceVersion"] = FormatRevision(revision);
        Record(new StoreEvent(revision, StoreEvent.Deleted, resource, @namespace, name, last, current));
        return last;
    }

    /// <summary>
    /// The objects of a type as they were at <paramref name="revision"/>, rebuilt by undoing later events;
    /// null when the history no longer reaches back that far.
    /// </summary>
    public SortedDictionary<string, JsonObject>? ItemsAt(ApiResource resource, long revision)
    {
        if (revision < _compactedThrough)
        {
            return null;
        }

        var state = new SortedDictionary<string, JsonObject>(
            _objects.TryGetValue(resource.StorageKey, out var items) ? items : new SortedDictionary<string, JsonObject>(StringComparer.Ordinal),
            StringComparer.Ordinal);
        for (var node = _history.Last; node is not null && node.Value.Revision > revision; node = node.Previous)
        {
            var change = node.Value;
            if (change.Resource.StorageKey != resource.StorageKey)
            {
                continue;
            }

            var key = Key(change.Namespace, change.Name);
            if (change.Type == StoreEvent.Added)
            {
                state.Remove(key);
            }
            else
            {
                state[key] = change.Previous!;
            }
        }

        return state;
    }

    /// <summary>
    /// Registers a watcher. With a start revision it replays the retained events after it ("Start at Exact");
    /// without one it first sends the current objects as ADDED. Returns false when the revision is too old.
    /// </summary>
    public bool Subscribe(WatchSubscription watcher, long? startRevision, bool initialEventsEndBookmark)
    {
        if (startRevision is { } start)
        {
            if (start < _compactedThrough)
            {
                return false;
            }

            foreach (var change in _history.Where(e => e.Revision > start))
            {
                watcher.Offer(change);
            }
        }
        else
        {
            foreach (var (_, obj) in Items(watcher.Resource, watcher.Namespace))
            {
                if (watcher.Matches(obj))
                {
                    watcher.SendInitial(obj);
                }
            }

            if (initialEventsEndBookmark)
            {
                watcher.Bookmark(_revision, initialEventsEnd: true);
            }
        }

        _watchers.Add(watcher);
        return true;
    }

    public void Unsubscribe(WatchSubscription watcher) => _watchers.Remove(watcher);

    public long CompactedThrough => _compactedThrough;

    /// <summary>The retained events after <paramref name="revision"/>, oldest first.</summary>
    public List<StoreEvent> EventsSince(long revision)
    {
        var events = new List<StoreEvent>();
        for (var node = _history.Last; node is not null && node.Value.Revision > revision; node = node.Previous)
        {
            events.Add(node.Value);
        }

        events.Reverse();
        return events;
    }

    /// <summary>Drops the whole event history: every watch or continue token from before now is too old.</summary>
    public void Compact()
    {
        _history.Clear();
        _compactedThrough = _revision;
    }

    public void Bookmark()
    {
        foreach (var watcher in _watchers.Where(w => w.Bookmarks))
        {
            watcher.Bookmark(_revision, initialEventsEnd: false);
        }
    }

    public void CompleteAll()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Complete();
        }
    }

    private void Record(StoreEvent change)
    {
        _history.AddLast(change);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.First!.Value.Revision;
            _history.RemoveFirst();
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(change);
        }
    }
}
