using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// Moves Deployment status the way the deployment controller does: after a spec change it observes the new
/// generation, creates a new ReplicaSet (<c>NewReplicaSetCreated</c>), brings pods up over the configured readiness
/// delay (<c>ReplicaSetUpdated</c>) while old pods go away, and ends with <c>NewReplicaSetAvailable</c> — or, when the
/// pods never become ready, with <c>ProgressDeadlineExceeded</c> after <c>spec.progressDeadlineSeconds</c>.
/// Time comes from the server's <see cref="TimeProvider"/>: timers on it drive the progress, and <see cref="Tick"/>
/// reconciles every Deployment at the current time.
/// </summary>
public sealed class DeploymentControllerSimulator : IDisposable
{
    /// <summary>The field manager of the simulator's status writes.</summary>
    public const string FieldManager = "kube-controller-manager";

    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string HashAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly ResourceOperations _operations;
    private readonly TimeProvider _time;
    private readonly ApiResource _deployments;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RolloutState> _states = new(StringComparer.Ordinal);
    private readonly List<(Func<JsonObject, bool> Match, DeploymentBehavior Behavior)> _rules = [];
    private ITimer? _timer;
    private int _reconcilingThread;
    private bool _disposed;

    internal DeploymentControllerSimulator(ResourceOperations operations, TimeProvider time, bool enabled)
    {
        _operations = operations;
        _time = time;
        _deployments = operations.Catalog.Find("apps", "v1", "deployments")!;
        Enabled = enabled;
        operations.Committed += OnCommitted;
    }

    /// <summary>Whether the simulator reacts to Deployment changes and timers.</summary>
    public bool Enabled { get; set; }

    /// <summary>The behaviour of Deployments that no <see cref="Configure(Func{JsonObject, bool}, DeploymentBehavior)"/> rule matches.</summary>
    public DeploymentBehavior DefaultBehavior { get; set; } = DeploymentBehavior.Immediate;

    /// <summary>Sets the behaviour of the Deployments the predicate matches, for rollouts that start from now on; later rules win.</summary>
    /// <param name="predicate">Gets the Deployment object (a copy) and says whether the behaviour applies.</param>
    /// <param name="behavior">Readiness delay and failure of the new pods.</param>
    public void Configure(Func<JsonObject, bool> predicate, DeploymentBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(behavior);
        lock (_gate)
        {
            _rules.Add((predicate, behavior));
        }
    }

    /// <summary>Sets the behaviour of Deployments whose name matches a pattern, where '*' matches any run of characters.</summary>
    /// <param name="namePattern">A Deployment name or a pattern such as <c>"*-canary"</c>.</param>
    /// <param name="behavior">Readiness delay and failure of the new pods.</param>
    public void Configure(string namePattern, DeploymentBehavior behavior)
    {
        ArgumentException.ThrowIfNullOrEmpty(namePattern);
        var regex = new Regex("^" + Regex.Escape(namePattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
        Configure(d => regex.IsMatch(JsonTools.Name(d)), behavior);
    }

    /// <summary>Forgets every rule set with Configure.</summary>
    public void ClearConfiguration()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Reconciles every Deployment at the TimeProvider's current time (useful after advancing a manual clock).</summary>
    public void Tick()
    {
        if (!Enabled || _disposed)
        {
            return;
        }

        List<(string Namespace, string Name)> targets;
        lock (_operations.Store.Gate)
        {
            targets = _operations.Store.Items(_deployments, null).Select(p => (JsonTools.Namespace(p.Value), JsonTools.Name(p.Value))).ToList();
        }

        foreach (var (ns, name) in targets)
        {
            Reconcile(ns, name);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _operations.Committed -= OnCommitted;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void OnCommitted(IReadOnlyList<StoreEvent> events)
    {
        if (!Enabled || _disposed || Volatile.Read(ref _reconcilingThread) == Environment.CurrentManagedThreadId)
        {
            return;
        }

        foreach (var change in events.Where(e => e.Resource.StorageKey == _deployments.StorageKey)
                     .GroupBy(e => ObjectStore.Key(e.Namespace, e.Name)).Select(g => g.Last()))
        {
            if (change.Type == StoreEvent.Deleted)
            {
                lock (_gate)
                {
                    _states.Remove(ObjectStore.Key(change.Namespace, change.Name));
                }
            }
            else
            {
                Reconcile(change.Namespace, change.Name);
            }
        }
    }

    private void Reconcile(string @namespace, string name)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var previousThread = _reconcilingThread;
            _reconcilingThread = Environment.CurrentManagedThreadId;
            try
            {
                var now = _time.GetUtcNow();
                _operations.WriteStatus(_deployments, @namespace, name, FieldManager, current => Compute(current, now));
                Schedule(now);
            }
            finally
            {
                _reconcilingThread = previousThread;
            }
        }
    }

    private JsonObject? Compute(JsonObject deployment, DateTimeOffset now)
    {
        var key = ObjectStore.Key(JsonTools.Namespace(deployment), JsonTools.Name(deployment));
        var uid = JsonTools.Uid(deployment);
        if (!_states.TryGetValue(key, out var state) || state.Uid != uid)
        {
            state = Adopt(deployment, now);
            _states[key] = state;
        }

        var spec = deployment["spec"] as JsonObject ?? new JsonObject();
        var generation = JsonTools.GetInt64(deployment["metadata"]?["generation"]) ?? 1;
        var replicas = (int)Math.Max(0, JsonTools.GetInt64(spec["replicas"]) ?? 1);
        var template = JsonTools.Canonical(spec["template"]);
        var paused = JsonTools.GetBool(spec["paused"]);
        if (generation != state.ObservedGeneration)
        {
            if (template != state.Template && !paused)
            {
                StartRollout(state, template, replicas, now, BehaviorFor(deployment));
            }
            else if (replicas != state.Replicas)
            {
                Scale(state, replicas, now);
            }

            state.ObservedGeneration = generation;
        }

        state.Deadline = TimeSpan.FromSeconds(JsonTools.GetInt64(spec["progressDeadlineSeconds"]) ?? 600);
        var newReady = state.NewReady(now);
        var old = state.OldRemaining(now);
        var available = newReady + old;
        var complete = newReady == state.Replicas && old == 0;
        var replicaSet = JsonTools.Name(deployment) + "-" + TemplateHash(state.Template);
        if (state.Reason.Reason == "NewReplicaSetCreated")
        {
            state.Reason = ("True", "NewReplicaSetCreated", $"Created new replica set \"{replicaSet}\"");
        }

        if (complete)
        {
            state.CompleteTemplate = state.Template;
            state.Reason = ("True", "NewReplicaSetAvailable", $"ReplicaSet \"{replicaSet}\" has successfully progressed.");
        }
        else if (newReady > state.LastNewReady)
        {
            state.LastProgress = now;
            state.Reason = ("True", "ReplicaSetUpdated", $"ReplicaSet \"{replicaSet}\" is progressing.");
        }
        else if (now - state.LastProgress >= state.Deadline && state.Reason.Reason != "ProgressDeadlineExceeded")
        {
            state.Reason = ("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{replicaSet}\" has timed out progressing.");
        }

        state.LastNewReady = newReady;
        var progressing = paused ? ("Unknown", "DeploymentPaused", "Deployment is paused") : state.Reason;
        var minimum = state.Replicas - MaxUnavailable(spec, state.Replicas);
        var availability = available >= minimum
            ? ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");

        var previousConditions = deployment["status"]?["conditions"] as JsonArray ?? [];
        var status = new JsonObject { ["observedGeneration"] = generation };
        AddCount(status, "replicas", state.Replicas + old);
        AddCount(status, "updatedReplicas", state.Replicas);
        AddCount(status, "readyReplicas", available);
        AddCount(status, "availableReplicas", available);
        AddCount(status, "unavailableReplicas", Math.Max(0, state.Replicas - available));
        status["conditions"] = new JsonArray(
            Condition(previousConditions, "Available", availability, now, progressed: false),
            Condition(previousConditions, "Progressing", progressing, now, progressed: state.LastProgress == now));
        if (deployment["status"]?["collisionCount"] is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }

        var updated = JsonTools.CloneObject(deployment);
        updated["status"] = status;
        var annotations = (JsonObject)(JsonTools.Metadata(updated)["annotations"] ??= new JsonObject());
        annotations[RevisionAnnotation] = state.Revision.ToString(CultureInfo.InvariantCulture);
        return updated;
    }

    private static RolloutState Adopt(JsonObject deployment, DateTimeOffset now)
    {
        var state = new RolloutState { Uid = JsonTools.Uid(deployment), LastProgress = now, Start = now };
        var status = deployment["status"] as JsonObject;
        var generation = JsonTools.GetInt64(deployment["metadata"]?["generation"]) ?? 1;
        if (status is null || JsonTools.GetInt64(status["observedGeneration"]) != generation)
        {
            return state;
        }

        // A Deployment seeded with a status that already reflects its spec: take that status as the truth.
        var replicas = (int)Math.Max(0, JsonTools.GetInt64(deployment["spec"]?["replicas"]) ?? 1);
        var ready = (int)Math.Min(replicas, JsonTools.GetInt64(status["availableReplicas"]) ?? 0);
        state.ObservedGeneration = generation;
        state.Template = JsonTools.Canonical(deployment["spec"]?["template"]);
        state.Replicas = replicas;
        state.ReadyAtStart = ready;
        state.LastNewReady = ready;
        state.Behavior = ready == replicas ? DeploymentBehavior.Immediate : DeploymentBehavior.Failing;
        state.Revision = int.TryParse(JsonTools.GetString(deployment["metadata"]?["annotations"], RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : 1;
        var progressing = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => JsonTools.GetString(c, "type") == "Progressing");
        if (progressing is not null)
        {
            state.Reason = (JsonTools.GetString(progressing, "status") ?? "True", JsonTools.GetString(progressing, "reason") ?? string.Empty, JsonTools.GetString(progressing, "message") ?? string.Empty);
        }

        if (ready == replicas)
        {
            state.CompleteTemplate = state.Template;
        }

        return state;
    }

    private static void StartRollout(RolloutState state, string template, int replicas, DateTimeOffset now, DeploymentBehavior behavior)
    {
        var serving = state.Template is null ? 0 : state.NewReady(now) + state.OldRemaining(now);
        var rollback = template == state.CompleteTemplate;
        state.ReadyAtStart = rollback ? Math.Min(replicas, serving) : 0;
        state.OldReady = Math.Max(0, serving - state.ReadyAtStart);
        state.Template = template;
        state.Replicas = replicas;
        state.Revision++;
        state.Start = now;
        state.LastProgress = now;
        state.LastNewReady = state.ReadyAtStart;
        state.Behavior = behavior;
        state.Reason = ("True", "NewReplicaSetCreated", string.Empty);
    }

    private static void Scale(RolloutState state, int replicas, DateTimeOffset now)
    {
        var ready = Math.Min(state.NewReady(now), replicas);
        state.OldReady = state.OldRemaining(now);
        state.ReadyAtStart = ready;
        state.LastNewReady = ready;
        state.Replicas = replicas;
        state.Start = now;
    }

    private DeploymentBehavior BehaviorFor(JsonObject deployment)
    {
        for (var i = _rules.Count - 1; i >= 0; i--)
        {
            if (_rules[i].Match(JsonTools.CloneObject(deployment)))
            {
                return _rules[i].Behavior;
            }
        }

        return DefaultBehavior;
    }

    private void Schedule(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var state in _states.Values)
        {
            if (state.NextChange(now) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        _timer?.Dispose();
        _timer = null;
        if (next is { } when)
        {
            var delay = when - now;
            _timer = _time.CreateTimer(_ => Tick(), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        }
    }

    private static JsonObject Condition(JsonArray previous, string type, (string Status, string Reason, string Message) value, DateTimeOffset now, bool progressed)
    {
        var old = previous.OfType<JsonObject>().FirstOrDefault(c => JsonTools.GetString(c, "type") == type);
        var stamp = JsonTools.FormatTime(now);
        var sameStatus = old is not null && JsonTools.GetString(old, "status") == value.Status;
        var same = sameStatus && JsonTools.GetString(old!, "reason") == value.Reason && JsonTools.GetString(old!, "message") == value.Message;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = value.Status,
            ["lastUpdateTime"] = same && !progressed ? old!["lastUpdateTime"]?.DeepClone() ?? stamp : stamp,
            ["lastTransitionTime"] = sameStatus ? old!["lastTransitionTime"]?.DeepClone() ?? stamp : stamp,
            ["reason"] = value.Reason,
            ["message"] = value.Message,
        };
    }

    private static void AddCount(JsonObject status, string field, int value)
    {
        // The real API omits zero counts (omitempty), so clients must read a missing count as 0.
        if (value > 0)
        {
            status[field] = value;
        }
    }

    private static int MaxUnavailable(JsonObject spec, int replicas)
    {
        var strategy = spec["strategy"] as JsonObject;
        if (replicas == 0 || (JsonTools.GetString(strategy, "type") ?? "RollingUpdate") != "RollingUpdate")
        {
            return 0;
        }

        var value = strategy?["rollingUpdate"]?["maxUnavailable"];
        int result;
        if (JsonTools.GetInt64(value) is { } absolute)
        {
            result = (int)absolute;
        }
        else
        {
            var text = (value as JsonValue)?.TryGetValue<string>(out var s) == true ? s : "25%";
            result = text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                ? replicas * percent / 100
                : 0;
        }

        return Math.Clamp(result, 0, replicas);
    }

    /// <summary>A pod-template-hash lookalike: stable for a template, in the alphabet the real one uses.</summary>
    private static string TemplateHash(string? template)
    {
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(template ?? string.Empty))
        {
            hash = (hash ^ b) * 16777619;
        }

        var text = new StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            text.Append(HashAlphabet[(int)(hash % (uint)HashAlphabet.Length)]);
            hash = (hash / (uint)HashAlphabet.Length) ^ (hash * 31);
        }

        return text.ToString();
    }

    private sealed class RolloutState
    {
        public required string Uid { get; init; }

        public long ObservedGeneration { get; set; }

        public string? Template { get; set; }

        public string? CompleteTemplate { get; set; }

        public int Replicas { get; set; }

        public int Revision { get; set; }

        public DateTimeOffset Start { get; set; }

        public DateTimeOffset LastProgress { get; set; }

        public int ReadyAtStart { get; set; }

        public int OldReady { get; set; }

        public int LastNewReady { get; set; }

        public DeploymentBehavior Behavior { get; set; } = DeploymentBehavior.Immediate;

        public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(600);

        public (string Status, string Reason, string Message) Reason { get; set; } = ("True", "NewReplicaSetCreated", string.Empty);

        public int NewReady(DateTimeOffset now)
        {
            var pending = Replicas - ReadyAtStart;
            if (pending <= 0 || Behavior.NeverReady)
            {
                return Math.Min(ReadyAtStart, Replicas);
            }

            var delay = Behavior.ReadinessDelay.Ticks;
            var elapsed = (now - Start).Ticks;
            if (delay <= 0 || elapsed >= delay)
            {
                return Replicas;
            }

            return ReadyAtStart + (int)(pending * Math.Max(0, elapsed) / delay);
        }

        public int OldRemaining(DateTimeOffset now) => Math.Max(0, Math.Min(OldReady, Replicas - NewReady(now)));

        /// <summary>When the next pod becomes ready or the progress deadline passes; null when nothing is pending.</summary>
        public DateTimeOffset? NextChange(DateTimeOffset now)
        {
            var ready = NewReady(now);
            if (ready >= Replicas && OldRemaining(now) == 0)
            {
                return null;
            }

            DateTimeOffset? next = Reason.Reason == "ProgressDeadlineExceeded" ? null : LastProgress + Deadline;
            if (!Behavior.NeverReady && Behavior.ReadinessDelay > TimeSpan.Zero && ready < Replicas)
            {
                var pending = Replicas - ReadyAtStart;
                var index = ready - ReadyAtStart + 1;
                var delay = Behavior.ReadinessDelay.Ticks;
                var podReady = Start + TimeSpan.FromTicks(((delay * index) + pending - 1) / pending);
                next = next is null || podReady < next ? podReady : next;
            }

            return next;
        }
    }
}
