using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The Linux "cooked" capture header, version 2 (LINKTYPE_LINUX_SLL2, 276).</summary>
/// <remarks>tcpdump.org LINKTYPE_LINUX_SLL2; all fields in network byte order.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Protocol type         |       Reserved (MBZ)          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Interface index                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          ARPHRD_ type         |  Packet type  | Address length|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |              Link-layer address (8 octets, padded)            |
/// +                                                               +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code></remarks>
internal readonly ref struct LinuxSll2Header
{
    public const int Length = 20;

    private readonly ReadOnlySpan<byte> _bytes;

    private LinuxSll2Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort ProtocolType => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    public uint InterfaceIndex => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    public ushort ArphrdType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[8..]);

    public byte PacketType => _bytes[10];

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 20 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out LinuxSll2Header header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new LinuxSll2Header(source);
        return true;
    }
}
