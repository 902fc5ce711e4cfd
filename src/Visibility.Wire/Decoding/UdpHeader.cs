using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>A UDP header (RFC 768).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Source Port          |       Destination Port        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            Length             |           Checksum            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Length counts the header and the data; it is for the caller to compare with the IP payload length.</remarks>
internal readonly ref struct UdpHeader
{
    public const int Length = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    private UdpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>The Length field: header plus data, in octets.</summary>
    public ushort DatagramLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 8 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out UdpHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new UdpHeader(source);
        return true;
    }
}
