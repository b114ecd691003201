using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// A watcher registered with the store: it turns store events into watch frames for one resource, namespace and
/// selector, so that an object entering or leaving the selector shows up as ADDED or DELETED.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<WatchFrame> _frames = Channel.CreateUnbounded<WatchFrame>(new UnboundedChannelOptions { SingleReader = true });

    public WatchSubscription(ApiResource resource, string? @namespace, LabelSelector labels, FieldSelector fields, bool bookmarks)
    {
        Resource = resource;
        Namespace = @namespace;
        Labels = labels;
        Fields = fields;
        Bookmarks = bookmarks;
    }

    public ApiResource Resource { get; }

    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public bool Bookmarks { get; }

    public ChannelReader<WatchFrame> Reader => _frames.Reader;

    public bool Matches(JsonObject obj) =>
        (Namespace is null || JsonTools.Namespace(obj) == Namespace)
        && Labels.Matches(JsonTools.StringMap(obj["metadata"]?["labels"]))
        && Fields.Matches(obj);

    /// <summary>Queues the frame an event produces for this watcher, if any.</summary>
    public void Offer(StoreEvent change)
    {
        if (change.Resource.StorageKey != Resource.StorageKey)
        {
            return;
        }

        var now = change.Type != StoreEvent.Deleted && Matches(change.Object);
        var before = change.Previous is not null && Matches(change.Previous);
        switch (change.Type)
        {
            case StoreEvent.Added when now:
                Send(StoreEvent.Added, change.Object);
                break;
            case StoreEvent.Modified when now && before:
                Send(StoreEvent.Modified, change.Object);
                break;
            case StoreEvent.Modified when now:
                Send(StoreEvent.Added, change.Object);
                break;
            case StoreEvent.Modified when before:
                var left = JsonTools.CloneObject(change.Previous!);
                JsonTools.Metadata(left)["resourceVersion"] = change.Object["metadata"]?["resourceVersion"]?.DeepClone();
                Send(StoreEvent.Deleted, left);
                break;
            case StoreEvent.Deleted when Matches(change.Object):
                Send(StoreEvent.Deleted, change.Object);
                break;
        }
    }

    public void SendInitial(JsonObject obj) => Send(StoreEvent.Added, obj);

    public void Bookmark(long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        _frames.Writer.TryWrite(new WatchFrame("BOOKMARK", new JsonObject
        {
            ["kind"] = Resource.Kind,
            ["apiVersion"] = Resource.ApiVersion,
            ["metadata"] = metadata,
        }));
    }

    public void Fail(JsonObject status) => _frames.Writer.TryWrite(new WatchFrame("ERROR", status));

    public void Complete() => _frames.Writer.TryComplete();

    private void Send(string type, JsonObject obj)
    {
        var copy = JsonTools.CloneObject(obj);
        copy["apiVersion"] = Resource.ApiVersion;
        _frames.Writer.TryWrite(new WatchFrame(type, copy));
    }
}
