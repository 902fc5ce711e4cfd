using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One Proposal substructure of an SA payload.</summary>
/// <remarks>
/// RFC 7296 §3.3.1:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Last Substruc |   RESERVED    |         Proposal Length       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                        SPI (variable)                         ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                        &lt;Transforms&gt;                           ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Last Substruc is 0 for the last proposal and 2 otherwise. The SPI is the sender's inbound SPI: empty in the
/// initial IKE SA negotiation, 8 octets for an IKE rekey, 4 for ESP/AH.
/// </remarks>
public readonly ref struct IkeProposal
{
    /// <summary>Octets before the SPI.</summary>
    public const int HeaderLength = 8;

    internal IkeProposal(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    /// <summary>The whole proposal (header, SPI, transforms).</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>0 for the last proposal, 2 when more follow.</summary>
    public byte LastSubstructure => Bytes[0];

    public int Length => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    public byte ProposalNumber => Bytes[4];

    public ProtocolId ProtocolId => (ProtocolId)Bytes[5];

    public byte SpiSize => Bytes[6];

    public byte TransformCount => Bytes[7];

    public ReadOnlySpan<byte> Spi => Bytes.Slice(HeaderLength, SpiSize);

    /// <summary>The SPI as a number when it is 4 octets (ESP/AH), else 0.</summary>
    public uint Spi32 => SpiSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(Bytes[HeaderLength..]) : 0;

    /// <summary>The SPI as a number when it is 8 octets (IKE SA rekey), else 0.</summary>
    public ulong Spi64 => SpiSize == 8 ? BinaryPrimitives.ReadUInt64BigEndian(Bytes[HeaderLength..]) : 0;

    /// <summary>The transforms, after the SPI.</summary>
    public ReadOnlySpan<byte> TransformBytes => Bytes[(HeaderLength + SpiSize)..];

    public IkeTransformReader GetTransforms() => new(TransformBytes, TransformCount);
}
