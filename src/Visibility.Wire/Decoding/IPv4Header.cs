using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>An IPv4 header (RFC 791 §3.1) with its options.</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version|  IHL  |Type of Service|          Total Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Identification        |Flags|      Fragment Offset    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Source Address                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Destination Address                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Options (IHL > 5)                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="TryRead"/> checks only that the fixed 20 octets are present; the version, IHL and Total Length
/// are for the caller to judge, because each failure is a different anomaly.</remarks>
internal readonly ref struct IPv4Header
{
    public const int MinimumLength = 20;

    private const int OptionEndOfList = 0;
    private const int OptionNoOperation = 1;

    private readonly ReadOnlySpan<byte> _bytes;

    private IPv4Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public int Version => _bytes[0] >> 4;

    /// <summary>Header length in octets (IHL × 4); may be less than 20 in a malformed header.</summary>
    public int HeaderLength => (_bytes[0] & 0x0F) << 2;

    public byte TypeOfService => _bytes[1];

    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    public bool DontFragment => (_bytes[6] & 0x40) != 0;

    public bool MoreFragments => (_bytes[6] & 0x20) != 0;

    /// <summary>Fragment offset in octets (the field counts 8-octet units).</summary>
    public int FragmentOffset => (BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]) & 0x1FFF) << 3;

    /// <summary>True for any fragment: MF set or a non-zero offset (RFC 791 §3.2, "Fragmentation").</summary>
    public bool IsFragment => (BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]) & 0x3FFF) != 0;

    public byte TimeToLive => _bytes[8];

    public IPProtocol Protocol => (IPProtocol)_bytes[9];

    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[10..]);

    public NetworkAddress Source => NetworkAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(_bytes[12..]));

    public NetworkAddress Destination => NetworkAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(_bytes[16..]));

    /// <summary>Reads the fixed header at the start of <paramref name="source"/>; false when fewer than 20 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IPv4Header header)
    {
        if (source.Length < MinimumLength)
        {
            header = default;
            return false;
        }
        header = new IPv4Header(source);
        return true;
    }

    /// <summary>Walks the option list (RFC 791 §3.1 "Options"): End of Option List ends it, No Operation is one
    /// octet, every other option carries a length octet that counts the type and length octets and must stay
    /// inside the header.</summary>
    /// <param name="options">The octets between offset 20 and the header length.</param>
    /// <returns>False when an option has no length octet, a length below 2, or runs past the header.</returns>
    public static bool AreOptionsWellFormed(ReadOnlySpan<byte> options)
    {
        int i = 0;
        while ((uint)i < (uint)options.Length)
        {
            byte type = options[i];
            if (type == OptionEndOfList)
            {
                return true;
            }
            if (type == OptionNoOperation)
            {
                i++;
                continue;
            }
            if ((uint)(i + 1) >= (uint)options.Length)
            {
                return false;
            }
            int length = options[i + 1];
            if (length < 2 || length > options.Length - i)
            {
                return false;
            }
            i += length;
        }
        return true;
    }
}
