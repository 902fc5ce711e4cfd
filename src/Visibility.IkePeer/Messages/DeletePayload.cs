using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>Delete payload (42): Protocol ID, SPI Size, Num of SPIs (2), SPIs [RFC 7296 §3.11].</summary>
/// <remarks>IKE SA: protocol 1, SPI size 0, no SPIs. ESP: protocol 3, SPI size 4, the SPIs the sender expects inbound.</remarks>
internal sealed class DeletePayload : IkePayload
{
    public DeletePayload(byte protocolId, IReadOnlyList<uint> spis)
    {
        ProtocolId = protocolId;
        Spis = spis;
    }

    public override byte PayloadType => PeerIana.PayloadDelete;

    public byte ProtocolId { get; }

    public IReadOnlyList<uint> Spis { get; }

    public static DeletePayload? Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return null;
        }

        var spiSize = body[1];
        var count = (body[2] << 8) | body[3];
        if (body.Length < 4 + spiSize * count)
        {
            return null;
        }

        var spis = new List<uint>();
        if (spiSize == 4)
        {
            for (var i = 0; i < count; i++)
            {
                var s = body.Slice(4 + 4 * i, 4);
                spis.Add((uint)((s[0] << 24) | (s[1] << 16) | (s[2] << 8) | s[3]));
            }
        }

        return new DeletePayload(body[0], spis);
    }

    public override void WriteBody(List<byte> output)
    {
        output.Add(ProtocolId);
        output.Add(ProtocolId == PeerIana.ProtocolIke ? (byte)0 : (byte)4);
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
