namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>
/// Keys of the profile <c>AWS_PROFILE</c> (or <c>default</c>) in the shared credentials file (<c>AWS_SHARED_CREDENTIALS_FILE</c>,
/// or <c>~/.aws/credentials</c>), or else in the config file (<c>AWS_CONFIG_FILE</c>, or <c>~/.aws/config</c>).
/// </summary>
/// <remarks>
/// Only static keys are read: a profile that assumes a role, runs a <c>credential_process</c> or uses SSO is not
/// followed, and the chain moves on to the next source.
/// </remarks>
internal sealed class SharedFileCredentialSource : IAwsCredentialSource
{
    private const string DefaultProfile = "default";

    /// <inheritdoc />
    public string Name => "the shared credentials file (~/.aws/credentials, AWS_PROFILE)";

    /// <inheritdoc />
    public ValueTask<AwsCredentials?> TryGetAsync(AwsCredentialContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var chosen = environment.Variable("AWS_PROFILE");
        var profile = chosen ?? DefaultProfile;
        var credentialsFile = environment.Variable("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials";
        var configFile = environment.Variable("AWS_CONFIG_FILE") ?? "~/.aws/config";

        // The config file names profiles "profile NAME", except the default one.
        var sections = new[]
        {
            (File: credentialsFile, Section: profile),
            (File: configFile, Section: profile == DefaultProfile ? DefaultProfile : $"profile {profile}"),
        };
        var found = false;
        foreach (var (file, section) in sections)
        {
            if (environment.ReadFile(file) is not { } text || IniFile.Section(text, section) is not { } keys)
            {
                continue;
            }

            found = true;
            keys.TryGetValue("aws_access_key_id", out var keyId);
            keys.TryGetValue("aws_secret_access_key", out var secret);
            if (string.IsNullOrEmpty(keyId) && string.IsNullOrEmpty(secret))
            {
                continue;
            }

            if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(secret))
            {
                var missing = string.IsNullOrEmpty(keyId) ? "aws_access_key_id" : "aws_secret_access_key";
                throw new CloudWatchQueryException($"The AWS profile \"{profile}\" in {environment.ExpandHome(file)} has no {missing}: signing needs both keys.");
            }

            keys.TryGetValue("aws_session_token", out var token);
            return ValueTask.FromResult<AwsCredentials?>(new AwsCredentials(keyId, secret, string.IsNullOrEmpty(token) ? null : token));
        }

        if (chosen is not null && !found)
        {
            throw new CloudWatchQueryException(
                $"AWS_PROFILE names the profile \"{profile}\", which is in neither {environment.ExpandHome(credentialsFile)} nor {environment.ExpandHome(configFile)}.");
        }

        return ValueTask.FromResult<AwsCredentials?>(null);
    }
}
