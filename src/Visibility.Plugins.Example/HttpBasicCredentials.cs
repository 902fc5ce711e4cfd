using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Visibility.Plugins.Example;

/// <summary>Finds HTTP Basic credentials (RFC 7617) in the header block of a cleartext HTTP/1.x request and checks
/// that they decode to a non-empty user-id and a non-empty password.</summary>
/// <remarks>
/// <code>
/// GET /admin HTTP/1.1\r\n                        request line (RFC 9112 §3)
/// Host: intranet.example\r\n
/// Authorization: Basic YWxpY2U6V2ludGVyMjAyNCE=\r\n   base64("alice:Winter2024!")
/// \r\n                                            end of the header block
/// </code>
/// Header names are case-insensitive (RFC 9110 §5.1), so is the scheme name (RFC 9110 §11.1). Only the first
/// segment (this packet) is looked at; a header cut by the segment end is not reported. Allocation-free.
/// </remarks>
internal static class HttpBasicCredentials
{
    /// <summary>Longest base64 token decoded (a user-id and password of up to 768 bytes together).</summary>
    public const int MaxTokenLength = 1024;

    private static ReadOnlySpan<byte> Basic => "Basic"u8;

    private static ReadOnlySpan<byte> HttpVersionPrefix => " HTTP/1."u8;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>True when <paramref name="request"/> is an HTTP/1.x request whose header <paramref name="headerName"/>
    /// (without the colon) carries Basic credentials that decode to <c>user-id:password</c> with both parts non-empty.</summary>
    public static bool Has(ReadOnlySpan<byte> request, ReadOnlySpan<byte> headerName)
    {
        int end = request.IndexOf(CrLf);
        if (end < 0 || !IsRequestLine(request[..end]))
        {
            return false;
        }
        ReadOnlySpan<byte> rest = request[(end + 2)..];
        while (true)
        {
            end = rest.IndexOf(CrLf);
            if (end <= 0)
            {
                // The empty line ends the header block; no CRLF means the header is cut by the segment.
                return false;
            }
            ReadOnlySpan<byte> line = rest[..end];
            rest = rest[(end + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon == headerName.Length && Ascii.EqualsIgnoreCase(line[..colon], headerName)
                && HasCredentials(line[(colon + 1)..]))
            {
                return true;
            }
        }
    }

    /// <summary>True when a header value is <c>Basic TOKEN</c> and TOKEN decodes to a non-empty user-id, a colon and a
    /// non-empty password.</summary>
    public static bool HasCredentials(ReadOnlySpan<byte> value)
    {
        value = value.Trim(" \t"u8);
        if (value.Length <= Basic.Length || !Ascii.EqualsIgnoreCase(value[..Basic.Length], Basic)
            || value[Basic.Length] is not ((byte)' ' or (byte)'\t'))
        {
            return false;
        }
        ReadOnlySpan<byte> token = value[Basic.Length..].TrimStart(" \t"u8);
        if (token.Length == 0 || token.Length > MaxTokenLength)
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[MaxTokenLength / 4 * 3];
        if (Base64.DecodeFromUtf8(token, decoded, out _, out int written) != OperationStatus.Done)
        {
            return false;
        }
        int separator = decoded[..written].IndexOf((byte)':');
        return separator > 0 && separator < written - 1;
    }

    private static bool IsRequestLine(ReadOnlySpan<byte> line)
    {
        // METHOD SP request-target SP HTTP/1.x
        int version = line.LastIndexOf(HttpVersionPrefix);
        return version > 0 && version == line.Length - HttpVersionPrefix.Length - 1 && line.IndexOf((byte)' ') < version;
    }
}
