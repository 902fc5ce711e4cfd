using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>A TCP header (RFC 9293 §3.1).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Source Port          |       Destination Port        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Sequence Number                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Acknowledgment Number                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Data |       |C|E|U|A|P|R|S|F|                               |
/// | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Checksum            |         Urgent Pointer        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Options (Data Offset > 5)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="TryRead"/> checks only the fixed 20 octets; the data offset is the caller's to judge.</remarks>
internal readonly ref struct TcpHeader
{
    public const int MinimumLength = 20;

    private readonly ReadOnlySpan<byte> _bytes;

    private TcpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[8..]);

    /// <summary>Header length in octets (Data Offset × 4); may be below 20 in a malformed header.</summary>
    public int DataOffset => (_bytes[12] >> 4) << 2;

    /// <summary>The flags octet, CWR (0x80) down to FIN (0x01).</summary>
    public byte Flags => _bytes[13];

    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_bytes[14..]);

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[16..]);

    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_bytes[18..]);

    /// <summary>Reads the fixed header at the start of <paramref name="source"/>; false when fewer than 20 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out TcpHeader header)
    {
        if (source.Length < MinimumLength)
        {
            header = default;
            return false;
        }
        header = new TcpHeader(source);
        return true;
    }
}
