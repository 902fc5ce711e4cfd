using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The common header of ICMP (RFC 792) and ICMPv6 (RFC 4443 §2.1) messages.</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |     Code      |          Checksum             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Rest of header (identifier/sequence, pointer, MTU, unused) |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Every ICMP message and every ICMPv6 message defined so far carries those second four octets, so a message
/// shorter than 8 octets is malformed (as Suricata and Wireshark also treat it).</remarks>
internal readonly ref struct IcmpHeader
{
    public const int Length = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    private IcmpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public byte Type => _bytes[0];

    public byte Code => _bytes[1];

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>The four octets after the checksum, whose meaning depends on the type.</summary>
    public uint RestOfHeader => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 8 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IcmpHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new IcmpHeader(source);
        return true;
    }
}
