using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Canary.Metrics.CloudWatch;

/// <summary>
/// Signs requests with AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>): a canonical request, a string to sign under
/// the credential scope (date, region, service), and an HMAC-SHA256 signature with a key derived from the secret
/// access key. The signed headers are <c>host</c>, <c>x-amz-*</c> and <c>content-type</c>.
/// </summary>
internal static class AwsSignatureV4
{
    /// <summary>The signing algorithm's name.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Signs a request in place: sets <c>Host</c>, <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> when there is a session token, and <c>Authorization</c>.</summary>
    /// <param name="request">The request, with its content set.</param>
    /// <param name="body">The body that the content holds.</param>
    /// <param name="credentials">The credentials.</param>
    /// <param name="region">The region of the credential scope.</param>
    /// <param name="service">The service of the credential scope, for example <c>monitoring</c>.</param>
    /// <param name="now">The signing time.</param>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];

        // Set explicitly, so that what is signed is what is sent.
        request.Headers.Host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.Remove("X-Amz-Security-Token");
        if (credentials.SessionToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower == "host" || lower.StartsWith("x-amz-", StringComparison.Ordinal))
            {
                headers.Add(new(lower, string.Join(',', values)));
            }
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        var (canonicalRequest, signedHeaders) = CanonicalRequest(
            request.Method.Method,
            string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath,
            CanonicalQuery(uri.Query),
            headers,
            HexHash(body));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var signature = Signature(SigningKey(credentials.SecretAccessKey, date, region, service), StringToSign(amzDate, scope, canonicalRequest));
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>Builds the canonical request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="canonicalUri">The URI-encoded path, <c>/</c> for none.</param>
    /// <param name="canonicalQuery">The canonical query string.</param>
    /// <param name="headers">The headers to sign, with any casing and order.</param>
    /// <param name="payloadHash">The hex SHA-256 of the body.</param>
    /// <returns>The canonical request, and the signed headers' names as the <c>Authorization</c> header lists them.</returns>
    public static (string CanonicalRequest, string SignedHeaders) CanonicalRequest(
        string method,
        string canonicalUri,
        string canonicalQuery,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash)
    {
        var canonical = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => CollapseSpaces(h.Value)))))
            .ToList();
        var signedHeaders = string.Join(';', canonical.Select(h => h.Name));
        var text = new StringBuilder()
            .Append(method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in canonical)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        text.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return (text.ToString(), signedHeaders);
    }

    /// <summary>Builds the canonical query string: each name and value URI-encoded, sorted by name and then value.</summary>
    /// <param name="query">The query string, with or without its leading <c>?</c>.</param>
    /// <returns>The canonical query string, empty for none.</returns>
    public static string CanonicalQuery(string query)
    {
        var pairs = query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part =>
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? part : part[..equals]);
                var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(part[(equals + 1)..]);
                return (Name: Uri.EscapeDataString(name), Value: Uri.EscapeDataString(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>Builds the string to sign.</summary>
    /// <param name="amzDate">The signing time, <c>yyyyMMddTHHmmssZ</c>.</param>
    /// <param name="scope">The credential scope, <c>date/region/service/aws4_request</c>.</param>
    /// <param name="canonicalRequest">The canonical request.</param>
    /// <returns>The string to sign.</returns>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{HexHash(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>Derives the signing key from the secret access key.</summary>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="date">The date, <c>yyyyMMdd</c>.</param>
    /// <param name="region">The region.</param>
    /// <param name="service">The service.</param>
    /// <returns>The key.</returns>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    /// <summary>Signs a string to sign.</summary>
    /// <param name="signingKey">The signing key.</param>
    /// <param name="stringToSign">The string to sign.</param>
    /// <returns>The signature, lowercase hex.</returns>
    public static string Signature(byte[] signingKey, string stringToSign) => Convert.ToHexStringLower(Hmac(signingKey, stringToSign));

    /// <summary>Hashes bytes with SHA-256.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The hash, lowercase hex.</returns>
    public static string HexHash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string CollapseSpaces(string value)
    {
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    text.Append(c);
                }

                space = true;
            }
            else
            {
                text.Append(c);
                space = false;
            }
        }

        return text.ToString();
    }
}
