namespace Visibility.Wire.Decoding;

/// <summary>An IPv6 extension header in the common TLV-style format: Hop-by-Hop Options (0), Routing (43) and
/// Destination Options (60).</summary>
/// <remarks>RFC 8200 §4.3 (Hop-by-Hop), §4.4 (Routing), §4.6 (Destination Options); the shared format is
/// restated in RFC 6564 §4.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Header  |  Hdr Ext Len  |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
/// |            header-specific data ((Hdr Ext Len + 1) × 8 - 2)    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code></remarks>
internal readonly ref struct IPv6ExtensionHeader
{
    private readonly ReadOnlySpan<byte> _bytes;

    private IPv6ExtensionHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public IPProtocol NextHeader => (IPProtocol)_bytes[0];

    public byte HeaderExtensionLength => _bytes[1];

    /// <summary>Length of the whole header in octets: (Hdr Ext Len + 1) × 8.</summary>
    public int Length => (_bytes[1] + 1) << 3;

    /// <summary>Reads the header at the start of <paramref name="source"/>; false unless all of it is present.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IPv6ExtensionHeader header)
    {
        if (source.Length < 2 || source.Length < (source[1] + 1) << 3)
        {
            header = default;
            return false;
        }
        header = new IPv6ExtensionHeader(source);
        return true;
    }
}
