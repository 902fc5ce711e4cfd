using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The Linux "cooked" capture header, version 1 (LINKTYPE_LINUX_SLL, 113).</summary>
/// <remarks>tcpdump.org LINKTYPE_LINUX_SLL; all fields in network byte order.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Packet type          |        ARPHRD_ type           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Link-layer address length    |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
/// |              Link-layer address (8 octets, padded)            |
/// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                               |        Protocol type          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// For Ethernet-like devices the protocol type is an EtherType.</remarks>
internal readonly ref struct LinuxSllHeader
{
    public const int Length = 16;

    private readonly ReadOnlySpan<byte> _bytes;

    private LinuxSllHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort PacketType => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    public ushort ArphrdType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    public ushort ProtocolType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[14..]);

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 16 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out LinuxSllHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new LinuxSllHeader(source);
        return true;
    }
}
