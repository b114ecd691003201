namespace Canary.Kubernetes.Client;

/// <summary>Remembers the secrets a client sends and blanks them out of any text that is about to become a message.</summary>
internal sealed class SecretRedactor
{
    private const int MaxSecrets = 16;
    private const int MinSecretLength = 4;
    private const string Mask = "[redacted]";
    private readonly Lock _gate = new();
    private readonly List<string> _secrets = [];

    public void Add(string? secret)
    {
        if (secret is null || secret.Length < MinSecretLength)
        {
            return;
        }

        lock (_gate)
        {
            if (_secrets.Contains(secret))
            {
                return;
            }

            if (_secrets.Count == MaxSecrets)
            {
                _secrets.RemoveAt(0);
            }

            _secrets.Add(secret);
        }
    }

    public string Redact(string text)
    {
        lock (_gate)
        {
            foreach (var secret in _secrets)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
