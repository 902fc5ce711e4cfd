using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>Delete payload (42): Protocol ID, SPI Size, Num of SPIs (2), SPIs [RFC 7296 §3.11].</summary>
/// <remarks>IKE SA: protocol 1, SPI size 0, no SPIs. ESP: protocol 3, SPI size 4, the SPIs the sender expects inbound.</remarks>
internal sealed class DeletePayload : Payload
{
    public DeletePayload(ProtocolId protocolId, IReadOnlyList<uint> spis)
    {
        ProtocolId = protocolId;
        Spis = spis;
    }

    public override IkePayloadType PayloadType => IkePayloadType.Delete;

    public ProtocolId ProtocolId { get; }

    public IReadOnlyList<uint> Spis { get; }

    public static DeletePayload? From(ReadOnlySpan<byte> body)
    {
        if (!IkeDeletePayload.TryRead(body, out var view))
        {
            return null;
        }

        var spis = new List<uint>();
        for (var i = 0; view.SpiSize == 4 && i < view.SpiCount; i++)
        {
            if (view.TryGetSpi32(i, out var spi))
            {
                spis.Add(spi);
            }
        }

        return new DeletePayload(view.ProtocolId, spis);
    }

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)ProtocolId);
        output.Add(ProtocolId == ProtocolId.Ike ? (byte)0 : (byte)4);
        output.Add((byte)(Spis.Count >> 8));
        output.Add((byte)Spis.Count);
        foreach (var spi in Spis)
        {
            output.Add((byte)(spi >> 24));
            output.Add((byte)(spi >> 16));
            output.Add((byte)(spi >> 8));
            output.Add((byte)spi);
        }
    }
}
