using System.Buffers.Binary;

namespace Visibility.Wire.Decoding;

/// <summary>The four octets that follow an 802.1Q (0x8100), 802.1ad (0x88A8) or pre-standard (0x9100) tag
/// protocol identifier: the tag control information and the EtherType of what the tag encloses.</summary>
/// <remarks>IEEE 802.1Q §9.6. The TPID itself sits in the EtherType position of the enclosing header.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | PCP |D|        VLAN ID        |      EtherType / Length       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code></remarks>
internal readonly ref struct VlanTag
{
    public const int Length = 4;

    private readonly ReadOnlySpan<byte> _bytes;

    private VlanTag(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Priority code point (3 bits).</summary>
    public byte Priority => (byte)(_bytes[0] >> 5);

    /// <summary>Drop eligible indicator (formerly CFI).</summary>
    public bool DropEligible => (_bytes[0] & 0x10) != 0;

    /// <summary>The 12-bit VLAN identifier; 0 for a priority-only tag.</summary>
    public ushort VlanId => (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_bytes) & 0x0FFF);

    /// <summary>EtherType of the enclosed frame (or of the next tag).</summary>
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>True for the tag protocol identifiers that announce a tag.</summary>
    public static bool IsTagProtocol(ushort etherType) =>
        etherType is (ushort)Wire.EtherType.Vlan or (ushort)Wire.EtherType.QinQ or (ushort)Wire.EtherType.QinQLegacy;

    /// <summary>Reads the tag body at the start of <paramref name="source"/>; false when fewer than 4 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VlanTag tag)
    {
        if (source.Length < Length)
        {
            tag = default;
            return false;
        }
        tag = new VlanTag(source);
        return true;
    }
}
