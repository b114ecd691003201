using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Runs a client-go credential plugin (<c>users[].user.exec</c>) and caches the <c>ExecCredential</c> it prints until 30 seconds
/// before its <c>expirationTimestamp</c>.
/// </summary>
internal sealed class ExecCredentialProvider : KubernetesCredentialProvider, IDisposable
{
    private const int MaxStandardErrorChars = 2048;
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ExecPluginConfig _config;
    private readonly ExecClusterInfo? _cluster;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;
    private KubernetesCredentials? _cached;

    public ExecCredentialProvider(ExecPluginConfig config, ExecClusterInfo? cluster, TimeProvider timeProvider, TimeSpan timeout)
    {
        _config = config;
        _cluster = cluster;
        _timeProvider = timeProvider;
        _timeout = timeout;
    }

    public ExecPluginConfig Config => _config;

    public override async ValueTask<KubernetesCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var cached = Volatile.Read(ref _cached);
        if (IsFresh(cached))
        {
            return cached!;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh(_cached))
            {
                return _cached!;
            }

            var credentials = await RunAsync(cancellationToken);
            Volatile.Write(ref _cached, credentials);
            return credentials;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Invalidate() => Volatile.Write(ref _cached, null);

    public void Dispose() => _gate.Dispose();

    internal string BuildExecInfo()
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (_config.ProvideClusterInfo && _cluster is not null)
        {
            var cluster = new JsonObject { ["server"] = _cluster.Server };
            if (_cluster.CertificateAuthorityData is not null)
            {
                cluster["certificate-authority-data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(_cluster.CertificateAuthorityData));
            }

            if (_cluster.InsecureSkipTlsVerify)
            {
                cluster["insecure-skip-tls-verify"] = true;
            }

            if (_cluster.TlsServerName is not null)
            {
                cluster["tls-server-name"] = _cluster.TlsServerName;
            }

            spec["cluster"] = cluster;
        }

        var info = new JsonObject
        {
            ["apiVersion"] = _config.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = spec,
        };
        return info.ToJsonString();
    }

    private bool IsFresh(KubernetesCredentials? credentials) =>
        credentials is not null &&
        (credentials.ExpiresAt is null || _timeProvider.GetUtcNow() < credentials.ExpiresAt.Value - ExpiryMargin);

    private async Task<KubernetesCredentials> RunAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(_config.InteractiveMode, "Always", StringComparison.Ordinal))
        {
            throw new KubernetesCredentialException(
                $"{_config.Field}: the exec plugin \"{_config.Command}\" needs an interactive terminal (interactiveMode: Always), " +
                "which a library cannot offer; configure the plugin to run non-interactively.");
        }

        var startInfo = new ProcessStartInfo(_config.Command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in _config.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _config.Environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["KUBERNETES_EXEC_INFO"] = BuildExecInfo();

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var hint = string.IsNullOrWhiteSpace(_config.InstallHint) ? string.Empty : $" {_config.InstallHint.Trim()}";
            throw new KubernetesCredentialException(
                $"{_config.Field}: cannot run the exec plugin \"{_config.Command}\": {ex.Message}.{hint}", ex);
        }

        process.StandardInput.Close();

        using var timeoutSource = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var stdoutTask = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(linked.Token);
        string stdout;
        string stderr;
        try
        {
            await process.WaitForExitAsync(linked.Token);
            stdout = await stdoutTask;
            stderr = await stderrTask;
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await ObserveAsync(stdoutTask);
            await ObserveAsync(stderrTask);
            cancellationToken.ThrowIfCancellationRequested();
            throw new KubernetesCredentialException(
                $"{_config.Field}: the exec plugin \"{_config.Command}\" did not finish within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds and was stopped.");
        }

        if (process.ExitCode != 0)
        {
            throw new KubernetesCredentialException(
                $"{_config.Field}: the exec plugin \"{_config.Command}\" exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}{DescribeStandardError(stderr)}");
        }

        return ParseExecCredential(stdout, stderr);
    }

    private KubernetesCredentials ParseExecCredential(string stdout, string stderr)
    {
        string Fail(string problem) =>
            $"{_config.Field}: the exec plugin \"{_config.Command}\" {problem}{DescribeStandardError(stderr)}";

        JsonObject? credential;
        try
        {
            credential = JsonNode.Parse(stdout) as JsonObject;
        }
        catch (JsonException)
        {
            // The parser's message can quote the output, which may hold the token, so it is not passed on.
            credential = null;
        }

        if (credential is null)
        {
            throw new KubernetesCredentialException(Fail("did not print an ExecCredential JSON object on standard output"));
        }

        var apiVersion = ReadString(credential, "apiVersion");
        if (!string.Equals(apiVersion, _config.ApiVersion, StringComparison.Ordinal))
        {
            throw new KubernetesCredentialException(Fail(
                $"printed an ExecCredential with apiVersion \"{apiVersion ?? "(none)"}\", but the kubeconfig asks for \"{_config.ApiVersion}\""));
        }

        var kind = ReadString(credential, "kind");
        if (!string.Equals(kind, "ExecCredential", StringComparison.Ordinal))
        {
            throw new KubernetesCredentialException(Fail($"printed kind \"{kind ?? "(none)"}\" instead of \"ExecCredential\""));
        }

        if (credential["status"] is not JsonObject status)
        {
            throw new KubernetesCredentialException(Fail("printed an ExecCredential without a status"));
        }

        var token = ReadString(status, "token");
        var certificatePem = ReadString(status, "clientCertificateData");
        var keyPem = ReadString(status, "clientKeyData");
        if (string.IsNullOrEmpty(token) && string.IsNullOrEmpty(certificatePem))
        {
            throw new KubernetesCredentialException(Fail("printed an ExecCredential with neither status.token nor status.clientCertificateData"));
        }

        if (string.IsNullOrEmpty(certificatePem) != string.IsNullOrEmpty(keyPem))
        {
            throw new KubernetesCredentialException(Fail("printed only one of status.clientCertificateData and status.clientKeyData; both are needed"));
        }

        X509Certificate2? certificate = null;
        if (!string.IsNullOrEmpty(certificatePem))
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new KubernetesCredentialException(Fail(
                    "printed status.clientCertificateData/clientKeyData that are not a PEM certificate and matching private key"));
            }
        }

        DateTimeOffset? expiresAt = null;
        var expiration = ReadString(status, "expirationTimestamp");
        if (!string.IsNullOrEmpty(expiration))
        {
            if (!DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new KubernetesCredentialException(Fail($"printed status.expirationTimestamp \"{expiration}\", which is not an RFC 3339 time"));
            }

            expiresAt = parsed;
        }

        return new KubernetesCredentials(string.IsNullOrEmpty(token) ? null : token, certificate, expiresAt);
    }

    private static string? ReadString(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string DescribeStandardError(string stderr)
    {
        var trimmed = stderr.Trim();
        if (trimmed.Length == 0)
        {
            return ".";
        }

        if (trimmed.Length > MaxStandardErrorChars)
        {
            trimmed = string.Concat(trimmed.AsSpan(0, MaxStandardErrorChars), "…");
        }

        return $". Its standard error: {trimmed}";
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    private static async Task ObserveAsync(Task<string> task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }
}
