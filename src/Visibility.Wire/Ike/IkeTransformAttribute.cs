using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One Transform Attribute (TV or TLV form).</summary>
/// <remarks>
/// RFC 7296 §3.3.5:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |A|       Attribute Type        |    AF=0  Attribute Length     |
/// |F|                             |    AF=1  Attribute Value      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   AF=0  Attribute Value                       |
/// |                   AF=1  Not Transmitted                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct IkeTransformAttribute
{
    /// <summary>Attribute Type 14: Key Length in bits (TV form).</summary>
    public const ushort KeyLengthType = 14;

    internal IkeTransformAttribute(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>AF bit set: a 2-octet value in place of the length (TV).</summary>
    public bool IsTypeValue => (Bytes[0] & 0x80) != 0;

    public ushort Type => (ushort)(BinaryPrimitives.ReadUInt16BigEndian(Bytes) & 0x7FFF);

    /// <summary>The TV value; for TLV, the value length.</summary>
    public ushort Value => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    /// <summary>The TLV value octets (empty in TV form).</summary>
    public ReadOnlySpan<byte> ValueBytes => IsTypeValue ? [] : Bytes[4..];
}
