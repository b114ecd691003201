using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Reads kubeconfig YAML into a <see cref="KubeConfigDocument"/>, naming the field path in every error. Unknown fields are ignored,
/// as kubectl does; relative paths are resolved against the file's directory.
/// </summary>
internal sealed class KubeConfigParser
{
    private readonly string? _directory;
    private readonly string? _source;

    private KubeConfigParser(string? directory, string? source)
    {
        _directory = directory;
        _source = source;
    }

    public static KubeConfigDocument Parse(string yaml, string? directoryForRelativePaths, string? sourceFile)
    {
        var parser = new KubeConfigParser(directoryForRelativePaths, sourceFile);
        return parser.ParseDocument(yaml);
    }

    private KubeConfigDocument ParseDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw Error(
                "(document)",
                $"not valid YAML at line {ex.Start.Line.ToString(CultureInfo.InvariantCulture)}, column {ex.Start.Column.ToString(CultureInfo.InvariantCulture)}");
        }

        var sources = _source is null ? Array.Empty<string>() : [_source];
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return KubeConfigDocument.Empty with { SourceFiles = sources };
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Error("(document)", "expected a mapping with clusters, users and contexts");
        }

        var kind = Scalar(root, "kind", string.Empty);
        if (kind is not null && !string.Equals(kind, "Config", StringComparison.Ordinal))
        {
            throw Error("kind", $"expected \"Config\", found \"{kind}\"");
        }

        var clusters = Entries(root, "clusters", "cluster", ParseCluster);
        var users = Entries(root, "users", "user", ParseUser);
        var contexts = Entries(root, "contexts", "context", ParseContext);
        var current = Scalar(root, "current-context", string.Empty);
        return new KubeConfigDocument(string.IsNullOrEmpty(current) ? null : current, clusters, users, contexts, sources);
    }

    private List<T> Entries<T>(YamlMappingNode root, string key, string inner, Func<string, string, YamlMappingNode, T> parse)
    {
        var result = new List<T>();
        var node = Child(root, key);
        if (node is null || IsNull(node))
        {
            return result;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Error(key, "expected a list");
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (sequence.Children[i] is not YamlMappingNode entry)
            {
                throw Error(path, "expected a mapping with name and " + inner);
            }

            var name = Scalar(entry, "name", path);
            if (string.IsNullOrEmpty(name))
            {
                throw Error(path + ".name", "required");
            }

            var body = Child(entry, inner);
            YamlMappingNode mapping;
            if (body is null || IsNull(body))
            {
                mapping = new YamlMappingNode();
            }
            else if (body is YamlMappingNode map)
            {
                mapping = map;
            }
            else
            {
                throw Error($"{path}.{inner}", "expected a mapping");
            }

            result.Add(parse(name, $"{path}.{inner}", mapping));
        }

        return result;
    }

    private KubeConfigCluster ParseCluster(string name, string path, YamlMappingNode node) => new(
        name,
        path,
        _source,
        Scalar(node, "server", path),
        ResolvePath(Scalar(node, "certificate-authority", path)),
        Base64Pem(node, "certificate-authority-data", path),
        Bool(node, "insecure-skip-tls-verify", path),
        Scalar(node, "tls-server-name", path));

    private KubeConfigUser ParseUser(string name, string path, YamlMappingNode node)
    {
        string? authProvider = null;
        if (Child(node, "auth-provider") is YamlMappingNode provider)
        {
            authProvider = Scalar(provider, "name", path + ".auth-provider") ?? "(unnamed)";
        }

        ExecPluginConfig? exec = null;
        var execNode = Child(node, "exec");
        if (execNode is YamlMappingNode execMap)
        {
            exec = ParseExec(execMap, path + ".exec");
        }
        else if (execNode is not null && !IsNull(execNode))
        {
            throw Error(path + ".exec", "expected a mapping");
        }

        return new KubeConfigUser(
            name,
            path,
            _source,
            EmptyToNull(Scalar(node, "token", path)),
            ResolvePath(Scalar(node, "tokenFile", path)),
            ResolvePath(Scalar(node, "client-certificate", path)),
            Base64Pem(node, "client-certificate-data", path),
            ResolvePath(Scalar(node, "client-key", path)),
            Base64Pem(node, "client-key-data", path),
            EmptyToNull(Scalar(node, "username", path)),
            EmptyToNull(Scalar(node, "password", path)),
            exec,
            authProvider);
    }

    private ExecPluginConfig ParseExec(YamlMappingNode node, string path)
    {
        var apiVersion = Scalar(node, "apiVersion", path);
        if (string.IsNullOrEmpty(apiVersion))
        {
            throw Error(path + ".apiVersion", $"required; use {ExecPluginConfig.V1} or {ExecPluginConfig.V1Beta1}");
        }

        if (apiVersion is not (ExecPluginConfig.V1 or ExecPluginConfig.V1Beta1))
        {
            throw Error(path + ".apiVersion", $"\"{apiVersion}\" is not supported; use {ExecPluginConfig.V1} or {ExecPluginConfig.V1Beta1}");
        }

        var command = Scalar(node, "command", path);
        if (string.IsNullOrEmpty(command))
        {
            throw Error(path + ".command", "required");
        }

        // client-go resolves a command against the kubeconfig's directory only when it is a relative path, not a bare name.
        if (!Path.IsPathRooted(command) && command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            command = ResolvePath(command)!;
        }

        var arguments = new List<string>();
        var argsNode = Child(node, "args");
        if (argsNode is YamlSequenceNode args)
        {
            for (var i = 0; i < args.Children.Count; i++)
            {
                var itemPath = $"{path}.args[{i.ToString(CultureInfo.InvariantCulture)}]";
                arguments.Add(args.Children[i] is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw Error(itemPath, "expected a string"));
            }
        }
        else if (argsNode is not null && !IsNull(argsNode))
        {
            throw Error(path + ".args", "expected a list of strings");
        }

        var environment = new List<KeyValuePair<string, string>>();
        var envNode = Child(node, "env");
        if (envNode is YamlSequenceNode env)
        {
            for (var i = 0; i < env.Children.Count; i++)
            {
                var itemPath = $"{path}.env[{i.ToString(CultureInfo.InvariantCulture)}]";
                if (env.Children[i] is not YamlMappingNode pair)
                {
                    throw Error(itemPath, "expected a mapping with name and value");
                }

                var envName = Scalar(pair, "name", itemPath);
                if (string.IsNullOrEmpty(envName))
                {
                    throw Error(itemPath + ".name", "required");
                }

                environment.Add(new(envName, Scalar(pair, "value", itemPath) ?? string.Empty));
            }
        }
        else if (envNode is not null && !IsNull(envNode))
        {
            throw Error(path + ".env", "expected a list of {name, value} entries");
        }

        var interactiveMode = Scalar(node, "interactiveMode", path);
        if (string.IsNullOrEmpty(interactiveMode))
        {
            if (apiVersion == ExecPluginConfig.V1)
            {
                throw Error(path + ".interactiveMode", $"required for {ExecPluginConfig.V1}; use Never, IfAvailable or Always");
            }

            interactiveMode = "IfAvailable";
        }
        else if (interactiveMode is not ("Never" or "IfAvailable" or "Always"))
        {
            throw Error(path + ".interactiveMode", $"\"{interactiveMode}\" is not one of Never, IfAvailable, Always");
        }

        return new ExecPluginConfig(
            apiVersion,
            command,
            arguments,
            environment,
            EmptyToNull(Scalar(node, "installHint", path)),
            interactiveMode,
            Bool(node, "provideClusterInfo", path),
            path);
    }

    private KubeConfigContext ParseContext(string name, string path, YamlMappingNode node) => new(
        name,
        path,
        _source,
        EmptyToNull(Scalar(node, "cluster", path)),
        EmptyToNull(Scalar(node, "user", path)),
        EmptyToNull(Scalar(node, "namespace", path)));

    private string? Base64Pem(YamlMappingNode node, string key, string path)
    {
        var text = Scalar(node, key, path);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var field = $"{path}.{key}";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw Error(field, "not valid base64");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(field, "does not decode to PEM text");
        }
    }

    private bool Bool(YamlMappingNode node, string key, string path)
    {
        var text = Scalar(node, key, path);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        return text.ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => throw Error($"{path}.{key}", $"expected true or false, found \"{text}\""),
        };
    }

    private string? Scalar(YamlMappingNode node, string key, string path)
    {
        var child = Child(node, key);
        if (child is null || IsNull(child))
        {
            return null;
        }

        if (child is not YamlScalarNode scalar)
        {
            throw Error(path.Length == 0 ? key : $"{path}.{key}", "expected a single value");
        }

        return scalar.Value;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar &&
        (string.IsNullOrEmpty(scalar.Value) || scalar.Value is "~" or "null" or "Null" or "NULL");

    private static string? EmptyToNull(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private string? ResolvePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        if (Path.IsPathRooted(path) || _directory is null)
        {
            return path;
        }

        return Path.GetFullPath(Path.Combine(_directory, path));
    }

    private KubeConfigException Error(string field, string problem) => new(field, problem, _source);
}
