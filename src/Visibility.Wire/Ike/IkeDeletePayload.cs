using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the body of a Delete payload (type 42).</summary>
/// <remarks>
/// RFC 7296 §3.11 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Protocol ID   |   SPI Size    |          Num of SPIs          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~               Security Parameter Index(es) (SPI)              ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Deleting the IKE SA: protocol 1, SPI size 0, no SPIs. ESP/AH: SPI size 4, the SPIs the sender expects inbound.
/// </remarks>
public readonly ref struct IkeDeletePayload
{
    private IkeDeletePayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Wraps a Delete body; false when shorter than 4 octets or when the SPIs do not fit.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out IkeDeletePayload payload)
    {
        if (body.Length < 4 || (long)body[1] * BinaryPrimitives.ReadUInt16BigEndian(body[2..]) > body.Length - 4)
        {
            payload = default;
            return false;
        }
        payload = new IkeDeletePayload(body);
        return true;
    }

    public ProtocolId ProtocolId => (ProtocolId)Body[0];

    public byte SpiSize => Body[1];

    public int SpiCount => BinaryPrimitives.ReadUInt16BigEndian(Body[2..]);

    public ReadOnlySpan<byte> Spis => Body.Slice(4, SpiSize * SpiCount);

    /// <summary>The <paramref name="index"/>-th SPI when SPIs are 4 octets; false otherwise or out of range.</summary>
    public bool TryGetSpi32(int index, out uint spi)
    {
        if (SpiSize != 4 || (uint)index >= (uint)SpiCount)
        {
            spi = 0;
            return false;
        }
        spi = BinaryPrimitives.ReadUInt32BigEndian(Body[(4 + (index * 4))..]);
        return true;
    }
}
