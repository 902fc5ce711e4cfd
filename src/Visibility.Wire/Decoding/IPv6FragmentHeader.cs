using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The IPv6 Fragment header (RFC 8200 §4.5).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Identification                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Offset 0 with M clear is an atomic fragment (RFC 6946): a whole datagram that carries the header anyway.</remarks>
internal readonly ref struct IPv6FragmentHeader
{
    public const int Length = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    private IPv6FragmentHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public IPProtocol NextHeader => (IPProtocol)_bytes[0];

    /// <summary>Fragment offset in octets (the field counts 8-octet units).</summary>
    public int FragmentOffset => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]) & 0xFFF8;

    public bool MoreFragments => (_bytes[3] & 0x01) != 0;

    public uint Identification => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    /// <summary>True when offset and M are both zero (RFC 6946 §2).</summary>
    public bool IsAtomic => (BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]) & 0xFFF9) == 0;

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 8 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IPv6FragmentHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new IPv6FragmentHeader(source);
        return true;
    }
}
