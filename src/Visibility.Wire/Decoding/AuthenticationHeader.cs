using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The IP Authentication Header (RFC 4302 §2), walked over as an IPv4 protocol or IPv6 extension header.</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Header   |  Payload Len  |          RESERVED             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Security Parameters Index (SPI)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Sequence Number Field                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                Integrity Check Value-ICV (variable)           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Payload Len is the header length in 32-bit words minus 2 (RFC 4302 §2.2), so the header spans
/// (Payload Len + 2) × 4 octets, unlike other IPv6 extension headers which count 8-octet units.</remarks>
internal readonly ref struct AuthenticationHeader
{
    /// <summary>Next Header, Payload Len, Reserved, SPI and Sequence Number: the header without an ICV.</summary>
    public const int MinimumLength = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private AuthenticationHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public IPProtocol NextHeader => (IPProtocol)_bytes[0];

    public byte PayloadLength => _bytes[1];

    /// <summary>Length of the whole header in octets: (Payload Len + 2) × 4.</summary>
    public int Length => (_bytes[1] + 2) << 2;

    public uint Spi => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[8..]);

    public ReadOnlySpan<byte> Icv => _bytes[MinimumLength..Length];

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when its fixed part is missing,
    /// its length is below 12 octets, or the ICV runs past <paramref name="source"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out AuthenticationHeader header)
    {
        if (source.Length < MinimumLength || source.Length < (source[1] + 2) << 2 || source[1] < 1)
        {
            header = default;
            return false;
        }
        header = new AuthenticationHeader(source);
        return true;
    }
}
