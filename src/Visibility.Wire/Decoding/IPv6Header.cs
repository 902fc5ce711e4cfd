using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The fixed IPv6 header (RFC 8200 §3).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Traffic Class |              Flow Label               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                Source Address (16 octets)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |              Destination Address (16 octets)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Payload Length counts the octets after these 40, extension headers included.</remarks>
internal readonly ref struct IPv6Header
{
    public const int Length = 40;

    private readonly ReadOnlySpan<byte> _bytes;

    private IPv6Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public int Version => _bytes[0] >> 4;

    public byte TrafficClass => (byte)(BinaryPrimitives.ReadUInt16BigEndian(_bytes) >> 4);

    public uint FlowLabel => BinaryPrimitives.ReadUInt32BigEndian(_bytes) & 0x000F_FFFF;

    public ushort PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    public IPProtocol NextHeader => (IPProtocol)_bytes[6];

    public byte HopLimit => _bytes[7];

    public NetworkAddress Source => NetworkAddress.FromIPv6(_bytes.Slice(8, 16));

    public NetworkAddress Destination => NetworkAddress.FromIPv6(_bytes.Slice(24, 16));

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 40 octets.
    /// The version nibble is for the caller to check.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IPv6Header header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new IPv6Header(source);
        return true;
    }
}
