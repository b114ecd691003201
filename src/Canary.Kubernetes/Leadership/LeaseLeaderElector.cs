using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Leadership;

/// <summary>
/// Elects one leader among engine replicas through a <c>coordination.k8s.io/v1</c> Lease, as client-go's leader election does:
/// a candidate takes the Lease when it is free or when its holder has not renewed it for <see cref="LeaseLeaderElectorOptions.LeaseDuration"/>
/// (judged by the candidate's own clock from the last change it saw, never by the holder's timestamps); the holder renews it
/// every <see cref="LeaseLeaderElectorOptions.RetryPeriod"/>; every write names the resourceVersion it read, so that two
/// candidates never both win.
/// </summary>
/// <remarks>
/// The leader counts as leader (<see cref="IsLeader"/>) only while its last renewal is younger than
/// <see cref="LeaseLeaderElectorOptions.RenewDeadline"/>, shorter than the lease duration, so it stops acting before anyone
/// else may start. Call <see cref="ReleaseAsync"/> on a clean shutdown so that another candidate takes over at once.
/// </remarks>
public sealed class LeaseLeaderElector
{
    private const string MicroTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private readonly IKubernetesApi _api;
    private readonly LeaseLeaderElectorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<bool>? _round;
    private string? _observedVersion;
    private DateTimeOffset _observedTime;
    private string? _holder;
    private DateTimeOffset? _lastRenewal;

    /// <summary>Initializes a new instance of the <see cref="LeaseLeaderElector"/> class.</summary>
    /// <param name="api">The API.</param>
    /// <param name="options">The Lease, the identity and the timing.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public LeaseLeaderElector(IKubernetesApi api, LeaseLeaderElectorOptions options, TimeProvider? timeProvider = null, ILogger<LeaseLeaderElector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The LeaseLeaderElectorOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<LeaseLeaderElector>.Instance;
    }

    /// <summary>Gets this candidate's identity.</summary>
    public string Identity => _options.Identity;

    /// <summary>Gets how often the Lease is tried or renewed.</summary>
    public TimeSpan RetryPeriod => _options.RetryPeriod;

    /// <summary>Gets the holder last seen in the Lease, or <see langword="null"/> before the first look.</summary>
    public string? Holder
    {
        get
        {
            lock (_gate)
            {
                return _holder;
            }
        }
    }

    /// <summary>Gets a value indicating whether this candidate holds the Lease and renewed it less than the renew deadline ago.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return IsLeaderAt(_time.GetUtcNow());
            }
        }
    }

    /// <summary>Makes one attempt to acquire or renew the Lease; concurrent callers share one attempt.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>Whether this candidate leads after the attempt.</returns>
    /// <exception cref="KubernetesException">The server refused for a reason other than a lost race.</exception>
    public Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_round is { IsCompleted: false } running)
            {
                return running;
            }

            _round = RoundAsync(cancellationToken);
            return _round;
        }
    }

    /// <summary>Answers whether this candidate leads, renewing or trying the Lease only when the retry period has passed since the last renewal.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>Whether this candidate leads.</returns>
    /// <exception cref="KubernetesException">The server refused for a reason other than a lost race.</exception>
    public Task<bool> EnsureLeaderAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (IsLeaderAt(now) && now - _lastRenewal!.Value < _options.RetryPeriod)
            {
                return Task.FromResult(true);
            }
        }

        return TryAcquireOrRenewAsync(cancellationToken);
    }

    /// <summary>Gives the Lease up, if this candidate holds it, so that another candidate takes it at its next try.</summary>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>A task that completes when the Lease is released, or was not held.</returns>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_holder != Identity)
            {
                return;
            }

            _lastRenewal = null;
        }

        var lease = await _api.TryGetAsync(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
        if (lease?["spec"] is not JsonObject spec || StringField(spec, "holderIdentity") != Identity)
        {
            return;
        }

        var now = Format(_time.GetUtcNow());
        spec["holderIdentity"] = string.Empty;
        spec["leaseDurationSeconds"] = 1;
        spec["acquireTime"] = now;
        spec["renewTime"] = now;
        try
        {
            var released = await _api.ReplaceAsync(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, lease, cancellationToken: cancellationToken);
            lock (_gate)
            {
                Observe(released, _time.GetUtcNow());
            }

            LeadershipLog.Released(_logger, Identity, _options.LeaseNamespace, _options.LeaseName);
        }
        catch (KubernetesException ex) when (ex.IsConflict)
        {
            // Someone changed the Lease meanwhile, so it is no longer ours to release.
        }
    }

    /// <summary>Tries or renews the Lease every retry period until cancelled, then releases it.</summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when the loop has stopped and the Lease is released.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await TryAcquireOrRenewAsync(cancellationToken);
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is KubernetesException or HttpRequestException or IOException or TimeoutException)
            {
                LeadershipLog.Failed(_logger, ex, Identity, _options.LeaseNamespace, _options.LeaseName);
                try
                {
                    await Task.Delay(_options.RetryPeriod, _time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        await ReleaseAsync(CancellationToken.None);
    }

    private async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var wasLeader = IsLeader;
        try
        {
            var leads = await AcquireOrRenewAsync(cancellationToken);
            if (wasLeader && !leads)
            {
                LeadershipLog.Lost(_logger, Identity, _options.LeaseNamespace, _options.LeaseName, $"the Lease is held by {Holder}");
            }

            return leads;
        }
        catch (Exception ex) when (wasLeader && !IsLeader)
        {
            LeadershipLog.Lost(_logger, Identity, _options.LeaseNamespace, _options.LeaseName, $"no renewal for {_options.RenewDeadline}: {ex.Message}");
            throw;
        }
    }

    private async Task<bool> AcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var duration = (int)_options.LeaseDuration.TotalSeconds;
        var lease = await _api.TryGetAsync(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
        if (lease is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = ResourceType.Leases.ApiVersion,
                ["kind"] = ResourceType.Leases.Kind,
                ["metadata"] = new JsonObject { ["name"] = _options.LeaseName, ["namespace"] = _options.LeaseNamespace },
                ["spec"] = new JsonObject
                {
                    ["holderIdentity"] = Identity,
                    ["leaseDurationSeconds"] = duration,
                    ["acquireTime"] = Format(now),
                    ["renewTime"] = Format(now),
                    ["leaseTransitions"] = 0,
                },
            };
            try
            {
                lease = await _api.CreateAsync(ResourceType.Leases, _options.LeaseNamespace, created, cancellationToken);
            }
            catch (KubernetesException ex) when (ex.IsAlreadyExists || ex.IsConflict)
            {
                return false;
            }

            LeadershipLog.Acquired(_logger, Identity, _options.LeaseNamespace, _options.LeaseName, 0);
            return Renewed(lease, now);
        }

        var spec = lease["spec"] as JsonObject ?? [];
        lease["spec"] = spec;
        var holder = StringField(spec, "holderIdentity") ?? string.Empty;
        var heldFor = TimeSpan.FromSeconds(Integer(spec, "leaseDurationSeconds") ?? duration);
        lock (_gate)
        {
            var version = KubernetesObject.GetResourceVersion(lease);
            if (version != _observedVersion)
            {
                Observe(lease, now);
            }

            if (holder.Length > 0 && holder != Identity && _observedTime + heldFor > now)
            {
                _lastRenewal = null;
                return false;
            }
        }

        var transitions = Integer(spec, "leaseTransitions") ?? 0;
        if (holder != Identity)
        {
            transitions++;
            spec["acquireTime"] = Format(now);
            spec["leaseTransitions"] = transitions;
        }

        spec["holderIdentity"] = Identity;
        spec["leaseDurationSeconds"] = duration;
        spec["renewTime"] = Format(now);
        try
        {
            lease = await _api.ReplaceAsync(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, lease, cancellationToken: cancellationToken);
        }
        catch (KubernetesException ex) when (ex.IsConflict)
        {
            lock (_gate)
            {
                _lastRenewal = null;
            }

            return false;
        }

        if (holder != Identity)
        {
            LeadershipLog.Acquired(_logger, Identity, _options.LeaseNamespace, _options.LeaseName, transitions);
        }

        return Renewed(lease, now);
    }

    private bool Renewed(JsonObject lease, DateTimeOffset now)
    {
        lock (_gate)
        {
            Observe(lease, now);
            _lastRenewal = now;
            return true;
        }
    }

    private void Observe(JsonObject lease, DateTimeOffset now)
    {
        _observedVersion = KubernetesObject.GetResourceVersion(lease);
        _observedTime = now;
        _holder = lease["spec"] is JsonObject spec ? StringField(spec, "holderIdentity") ?? string.Empty : string.Empty;
    }

    private bool IsLeaderAt(DateTimeOffset now) =>
        _holder == Identity && _lastRenewal is { } renewed && now - renewed < _options.RenewDeadline;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(MicroTimeFormat, CultureInfo.InvariantCulture);

    private static string? StringField(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Integer(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}
