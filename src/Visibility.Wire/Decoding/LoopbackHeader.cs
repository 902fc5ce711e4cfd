using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The 4-octet address-family header of BSD loopback captures (LINKTYPE_NULL 0, LINKTYPE_LOOP 108).</summary>
/// <remarks>tcpdump.org LINKTYPE_NULL / LINKTYPE_LOOP. NULL stores the family in the byte order of the host
/// that captured; LOOP in network byte order. Families are small numbers, so the byte order is recognised by
/// which half of the word is zero, and both link types accept either order.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             Address family (host or network order)            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD), 28 (FreeBSD) or 30 (macOS).</remarks>
internal readonly ref struct LoopbackHeader
{
    public const int Length = 4;

    public const uint FamilyInet = 2;

    private readonly ReadOnlySpan<byte> _bytes;

    private LoopbackHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The address family in either byte order, normalised to its numeric value.</summary>
    public uint Family
    {
        get
        {
            uint family = BinaryPrimitives.ReadUInt32LittleEndian(_bytes);
            // A family written big-endian reads little-endian as value << 24: its low half is zero.
            return (family & 0xFFFF) == 0 ? BinaryPrimitives.ReverseEndianness(family) : family;
        }
    }

    /// <summary>True for the AF_INET6 values of the common BSD-derived and Linux systems.</summary>
    public static bool IsInet6(uint family) => family is 10 or 24 or 28 or 30;

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when fewer than 4 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out LoopbackHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }
        header = new LoopbackHeader(source);
        return true;
    }
}
