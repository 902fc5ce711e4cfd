using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>An Ethernet II (DIX) header: two MAC addresses and the EtherType.</summary>
/// <remarks>IEEE 802.3 §3.1, Ethernet II framing. The frame check sequence is not part of captured frames
/// as libpcap hands them over; padding to the 60-octet minimum follows the payload and is not covered here.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Destination MAC (6 octets)                   |
/// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                               |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
/// |                     Source MAC (6 octets)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      EtherType / Length       |   payload ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A value below 0x0600 in the EtherType position is an 802.3 length (LLC follows), not an EtherType.</remarks>
internal readonly ref struct EthernetHeader
{
    public const int Length = 14;

    private readonly ReadOnlySpan<byte> _bytes;

    private EthernetHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Destination => _bytes[..6];

    public ReadOnlySpan<byte> Source => _bytes.Slice(6, 6);

    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[12..]);

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 14 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out EthernetHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new EthernetHeader(source);
        return true;
    }
}
