using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>Notify payload (41): Protocol ID, SPI Size, Notify Message Type (2), SPI, data [RFC 7296 §3.10].</summary>
internal sealed class NotifyPayload : IkePayload
{
    public NotifyPayload(ushort notifyType, byte[]? data = null, byte protocolId = 0, byte[]? spi = null)
    {
        NotifyType = notifyType;
        Data = data ?? [];
        ProtocolId = protocolId;
        Spi = spi ?? [];
    }

    public override byte PayloadType => PeerIana.PayloadNotify;

    public byte ProtocolId { get; }

    public byte[] Spi { get; }

    public ushort NotifyType { get; }

    public byte[] Data { get; }

    public bool IsError => NotifyType < PeerIana.NotifyFirstStatus;

    public static NotifyPayload? Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || body.Length < 4 + body[1])
        {
            return null;
        }

        var spiSize = body[1];
        return new NotifyPayload(
            (ushort)((body[2] << 8) | body[3]),
            body[(4 + spiSize)..].ToArray(),
            body[0],
            body.Slice(4, spiSize).ToArray());
    }

    public override void WriteBody(List<byte> output)
    {
        output.Add(ProtocolId);
        output.Add((byte)Spi.Length);
        output.Add((byte)(NotifyType >> 8));
        output.Add((byte)NotifyType);
        output.AddRange(Spi);
        output.AddRange(Data);
    }
}
